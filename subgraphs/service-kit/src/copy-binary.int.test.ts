import { createTestDatabase, type TestDatabase } from '@test/support/database';
import { DataSource, type EntityManager } from 'typeorm';
import { stageRows, type StagingTable } from './copy-binary';

// Rows staged in a session's temporary table with binary COPY, on a real Postgres: every value arrives as sent,
// a transaction sees only its own rows, the commit or rollback empties the table, and a value Postgres refuses fails
// the transaction with its code and leaves the pooled connection usable.
let db: TestDatabase;
let dataSource: DataSource;

const STAGE: StagingTable = {
  name: 'copy_binary_test_in',
  columns: [
    { name: 'n', type: 'int4' },
    { name: 'label', type: 'text' },
    { name: 'doc', type: 'jsonb' },
    { name: 'raw', type: 'json' },
  ],
};

beforeAll(async () => {
  db = await createTestDatabase();
  // One pooled connection: every transaction below runs on the same session, so its temporary table is reused.
  dataSource = new DataSource({ type: 'postgres', url: db.url, extra: { max: 1 } });
  await dataSource.initialize();
});

afterAll(async () => {
  await dataSource?.destroy();
  await db?.drop();
});

type Row = { n: number; label: string | null; doc: unknown; raw: string | null };

async function staged(m: EntityManager): Promise<Row[]> {
  return (await m.query(
    `SELECT "n", "label", "doc", "raw"::text AS "raw" FROM pg_temp."${STAGE.name}" ORDER BY "n"`,
  )) as Row[];
}

describe('stageRows', () => {
  it('stages every value as sent, special characters and NULLs included, for the transaction only', async () => {
    const label = 'tab\there, newline\nthere, back\\slash, "quote", é € 😀';
    const raw = '{"kept":  "as written",\n "n": 1.50}';
    const seen = await dataSource.transaction(async (m) => {
      await stageRows(m, STAGE, [
        [1, label, JSON.stringify({ text: label, list: [1, 2] }), raw],
        [2, null, 'null', null],
        [3, '', '{}', '[]'],
      ]);
      return staged(m);
    });
    expect(seen).toEqual([
      { n: 1, label, doc: { text: label, list: [1, 2] }, raw },
      { n: 2, label: null, doc: null, raw: null },
      { n: 3, label: '', doc: {}, raw: '[]' },
    ]);
    // The commit emptied the session's table.
    expect(await dataSource.transaction((m) => staged(m).catch(() => 'gone'))).toEqual([]);
  });

  it('holds only the latest staging of a transaction, and nothing after a rollback', async () => {
    const second = await dataSource.transaction(async (m) => {
      await stageRows(m, STAGE, [[1, 'first', '{}', null]]);
      await stageRows(m, STAGE, [[2, 'second', '{}', null]]);
      return staged(m);
    });
    expect(second.map((r) => r.label)).toEqual(['second']);
    await expect(
      dataSource.transaction(async (m) => {
        await stageRows(m, STAGE, [[1, 'rolled back', '{}', null]]);
        throw new Error('undo');
      }),
    ).rejects.toThrow('undo');
    expect(await dataSource.transaction((m) => staged(m))).toEqual([]);
  });

  it('stages 5,000 rows in order', async () => {
    const rows = Array.from({ length: 5000 }, (_, i) => [i, `row ${i}`, JSON.stringify({ i }), `[${i}]`]);
    const seen = await dataSource.transaction(async (m) => {
      await stageRows(m, STAGE, rows);
      return staged(m);
    });
    expect(seen).toHaveLength(5000);
    expect(seen[4999]).toEqual({ n: 4999, label: 'row 4999', doc: { i: 4999 }, raw: '[4999]' });
    expect(seen.every((r, i) => r.n === i && r.label === `row ${i}`)).toBe(true);
  });

  it('fails the transaction with the code of a value Postgres refuses, and the connection stays usable', async () => {
    // JSON.parse accepts \u0000 in a string; jsonb does not (22P05).
    await expect(
      dataSource.transaction((m) => stageRows(m, STAGE, [[1, 'x', '{"a":"\\u0000"}', null]])),
    ).rejects.toMatchObject({ code: '22P05' });
    await expect(
      dataSource.transaction((m) => stageRows(m, STAGE, [[1, 'x', '{not json', null]])),
    ).rejects.toMatchObject({ code: '22P02' });
    const after = await dataSource.transaction(async (m) => {
      await stageRows(m, STAGE, [[9, 'after', '{}', null]]);
      return staged(m);
    });
    expect(after).toEqual([{ n: 9, label: 'after', doc: {}, raw: null }]);
  });

  it('refuses to stage outside a transaction', async () => {
    await expect(stageRows(dataSource.manager, STAGE, [[1, 'x', '{}', null]])).rejects.toThrow(
      `stageRows("${STAGE.name}") needs a transaction`,
    );
  });
});
