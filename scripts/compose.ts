import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { composeSupergraph, schemaFiles } from './lib/compose';

/** `npm run compose`: regenerate schema/subgraphs/*.graphql and schema/supergraph.graphql. `--check`: fail if stale. */
async function main(): Promise<void> {
  const check = process.argv.includes('--check');
  const composition = await composeSupergraph();
  const files = schemaFiles();
  const outputs = [
    ...composition.subgraphs.map((s) => ({ file: files.subgraph(s.name), content: s.sdl })),
    { file: files.supergraph, content: composition.supergraphSdl },
  ];
  const stale: string[] = [];
  for (const { file, content } of outputs) {
    let current: string | undefined;
    try {
      current = readFileSync(file, 'utf8');
    } catch {
      current = undefined;
    }
    if (current === content) continue;
    if (check) {
      stale.push(path.relative(process.cwd(), file));
    } else {
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, content);
      console.log(`wrote ${path.relative(process.cwd(), file)}`);
    }
  }
  if (stale.length > 0) {
    console.error(`Stale schema files (run npm run compose and commit):\n  ${stale.join('\n  ')}`);
    process.exit(1);
  }
  if (check) console.log('supergraph is up to date');
}

main().catch((err: unknown) => {
  console.error((err as Error).message);
  process.exit(1);
});
