import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ErrorCodes, type ErrorCodeDefinition, type ErrorSurface } from '@mash/schema';
import { repoRoot } from './lib/repo-root';

/** Where `npm run docs:errors` writes the table, relative to the repository root. */
export const ERRORS_DOC_PATH = path.join('docs', 'ERRORS.md');

const SURFACE_NAMES: Record<ErrorSurface, string> = {
  graphql: 'GraphQL error',
  http: 'HTTP request refused',
  connector: 'connector dead-letter',
  held: 'status change held for linking',
};

/** Where a code is met, from the registry's `surface`. */
export function errorCodeUse(definition: Pick<ErrorCodeDefinition, 'surface'>): string {
  return SURFACE_NAMES[definition.surface];
}

/**
 * docs/ERRORS.md, rendered from the registry in `@mash/schema` (`schema/src/errors.ts`), in registry order. The
 * table is printed already aligned the way prettier aligns Markdown tables, so the generated file passes
 * `prettier --check` as written.
 */
export function renderErrorsDoc(
  registry: Readonly<Record<string, ErrorCodeDefinition>> = ErrorCodes,
): string {
  const header = ['code', 'HTTP status', 'retriable', 'used in', 'description'];
  const rows = Object.values(registry).map((d) => [
    `\`${d.code}\``,
    String(d.httpStatus),
    d.retriable ? 'yes' : 'no',
    errorCodeUse(d),
    d.description.replace(/\|/g, '\\|'),
  ]);
  const widths = header.map((h, i) => Math.max(3, h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [
    '# Error codes',
    '',
    '<!-- Generated from schema/src/errors.ts by `npm run docs:errors`; do not edit by hand. -->',
    '',
    'Every GraphQL error carries one of these codes as `extensions.code` (with `extensions.retriable`); the HTTP',
    'status is what the gateway answers with when that error is the only one. Every event a connector rejects',
    'goes to its family’s dead-letter topic (`mash.dlq.<family>.v1`) with one of the `EVENT_*` codes in the',
    '`mash-dlq-code` header and the reason in `mash-dlq-reason`. **Retriable** says whether trying the same thing',
    'again later may succeed. A request that is not GraphQL over HTTP at all (not JSON, the wrong content type,',
    'too large, a batch) is refused before GraphQL runs, still with a coded GraphQL error body. A status change',
    'held for a MASH officer to link names why in `UnmatchedStatusChange.reasonCode`.',
    '',
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
    '',
  ].join('\n');
}

/** `npm run docs:errors`: writes docs/ERRORS.md. `--check`: fail if it is stale instead. */
function main(): void {
  const file = path.join(repoRoot(), ERRORS_DOC_PATH);
  const content = renderErrorsDoc();
  let current: string | undefined;
  try {
    current = readFileSync(file, 'utf8');
  } catch {
    current = undefined;
  }
  if (process.argv.includes('--check')) {
    if (current !== content) {
      console.error(`${ERRORS_DOC_PATH} is stale: run npm run docs:errors and commit it.`);
      process.exit(1);
    }
    console.log(`${ERRORS_DOC_PATH} is up to date`);
    return;
  }
  if (current === content) {
    console.log(`${ERRORS_DOC_PATH} is up to date`);
    return;
  }
  writeFileSync(file, content);
  console.log(`wrote ${ERRORS_DOC_PATH}`);
}

if (require.main === module) main();
