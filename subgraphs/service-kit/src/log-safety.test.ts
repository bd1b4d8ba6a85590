import { GraphQLError } from 'graphql';
import { safeError, stackFrames, withoutQuotedValues } from './log-safety';

/** What TypeORM throws for a refused row: pg's DatabaseError inside, with the query's parameters beside it. */
function queryFailed(message: string, driver: Record<string, unknown>): Error {
  const err = new Error(message) as Error & Record<string, unknown>;
  err.name = 'QueryFailedError';
  err['query'] = 'INSERT INTO "cases"."subject_identifier" VALUES ($1, $2)';
  err['parameters'] = ['police-person-id', 'NICHE-7730142'];
  err['driverError'] = { severity: 'ERROR', routine: 'ExecConstraints', ...driver };
  Object.assign(err, driver);
  return err;
}

describe('the log error serializer', () => {
  it('keeps SQLSTATE, table and constraint of a database error and drops parameters and row detail', () => {
    const err = queryFailed('new row for relation "subject_identifier" violates check constraint "c"', {
      code: '23514',
      detail: 'Failing row contains (police-person-id, NICHE-7730142).',
      schema: 'cases',
      table: 'subject_identifier',
      constraint: 'c',
    });
    const safe = safeError(err)!;
    expect(safe).toMatchObject({
      type: 'QueryFailedError',
      sqlState: '23514',
      schema: 'cases',
      table: 'subject_identifier',
      constraint: 'c',
    });
    expect(JSON.stringify(safe)).not.toMatch(/NICHE-7730142|Failing row|parameters|INSERT/);
  });

  it('takes the value out of a database message that quotes it', () => {
    const err = queryFailed('invalid input syntax for type uuid: "NICHE-7730142"', { code: '22P02' });
    expect(safeError(err)!.message).toBe('invalid input syntax for type uuid: "…"');
    expect(withoutQuotedValues('Key (value)=(NICHE-1) already exists.')).toBe('Key (…)=(…) already exists.');
  });

  it("keeps a GraphQL error's code and drops a subgraph's response", () => {
    const err = new GraphQLError('400: Bad Request', {
      extensions: {
        code: 'BAD_USER_INPUT',
        response: { url: 'http://10.1.1.1/graphql', body: { data: { subject: { value: 'NICHE-1' } } } },
      },
    });
    const safe = safeError(err)!;
    expect(safe).toMatchObject({ type: 'GraphQLError', code: 'BAD_USER_INPUT', message: '400: Bad Request' });
    expect(JSON.stringify(safe)).not.toMatch(/NICHE-1|10\.1\.1\.1|response/);
  });

  it('keeps stack frames but not the first line, which repeats the message', () => {
    const frames = stackFrames('Error: value NICHE-1 refused\n    at f (a.ts:1:1)\n    at g (b.ts:2:2)');
    expect(frames).toBe('    at f (a.ts:1:1)\n    at g (b.ts:2:2)');
  });
});
