import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { contractFiles } from './lib/contract/files';
import { repoRoot } from './lib/repo-root';

/** `npm run asyncapi`: writes schema/asyncapi.yaml and docs/CONNECTING.md from the published event contracts. */
async function main(): Promise<void> {
  for (const [relative, content] of Object.entries(contractFiles())) {
    writeFileSync(path.join(repoRoot(), relative), content);
    console.log(`wrote ${relative}`);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
