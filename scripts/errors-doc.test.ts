import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ErrorCodes } from '@mash/schema';
import { ERRORS_DOC_PATH, errorCodeUse, renderErrorsDoc } from './errors-doc';
import { repoRoot } from './lib/repo-root';

describe('docs/ERRORS.md', () => {
  it('is the table generated from the error-code registry (run npm run docs:errors when this fails)', () => {
    let committed: string | undefined;
    try {
      committed = readFileSync(path.join(repoRoot(), ERRORS_DOC_PATH), 'utf8');
    } catch {
      committed = undefined;
    }
    if (committed !== renderErrorsDoc()) {
      throw new Error(
        `${ERRORS_DOC_PATH} is stale or missing: run \`npm run docs:errors\` and commit the result.`,
      );
    }
  });

  it('lists every registered code once, with its status, retriability and description', () => {
    const doc = renderErrorsDoc();
    for (const d of Object.values(ErrorCodes)) {
      const rows = doc.split('\n').filter((l) => l.startsWith(`| \`${d.code}\` `));
      expect(rows).toHaveLength(1);
      expect(rows[0]).toContain(` ${d.httpStatus} `);
      expect(rows[0]).toContain(d.retriable ? ' yes ' : ' no ');
      expect(rows[0]).toContain(d.description);
    }
  });

  it('says where each code is met, from its surface in the registry', () => {
    expect(errorCodeUse(ErrorCodes.EVENT_DATA_INVALID)).toBe('connector dead-letter');
    expect(errorCodeUse(ErrorCodes.FORBIDDEN)).toBe('GraphQL error');
    expect(errorCodeUse(ErrorCodes.MALFORMED_JSON)).toBe('HTTP request refused');
    expect(errorCodeUse(ErrorCodes.IDENTIFIER_CONFLICT)).toBe('status change held for linking');
  });

  it('escapes a pipe in a description so the table keeps its columns', () => {
    const doc = renderErrorsDoc({
      X: { code: 'X', description: 'a | b', httpStatus: 400, retriable: false, surface: 'graphql' },
    });
    expect(doc).toContain('a \\| b');
  });
});
