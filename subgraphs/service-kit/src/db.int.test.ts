import { createTestDatabase, type TestDatabase } from '@test/support/database';
import { DataSource } from 'typeorm';
import { openDatabase, planForKeyLookups } from './db';

// The batch paths' look-ups by key (`= ANY($1)` with a batch's keys), planned inside a transaction that called
// planForKeyLookups and outside one, on a real Postgres: the settings hold for the transaction only.
let db: TestDatabase;
let dataSource: DataSource;

beforeAll(async () => {
  db = await createTestDatabase();
  dataSource = new DataSource({ type: 'postgres', url: db.url, extra: { max: 1 } });
  await dataSource.initialize();
  await dataSource.query(`CREATE TABLE "item" ("id" uuid PRIMARY KEY, "body" text NOT NULL)`);
  // 60,000 rows of about 300 bytes: big enough that the defaults price 1,500 index probes above a scan.
  await dataSource.query(
    `INSERT INTO "item" SELECT gen_random_uuid(), repeat('x', 300) FROM generate_series(1, 60000)`,
  );
  await dataSource.query(`ANALYZE "item"`);
});

afterAll(async () => {
  await dataSource?.destroy();
  await db?.drop();
});

/** `count` stored ids. */
async function storedIds(count: number): Promise<string[]> {
  const rows = (await dataSource.query(`SELECT "id" FROM "item" LIMIT $1`, [count])) as { id: string }[];
  return rows.map((r) => r.id);
}

/** The plan's node types for a look-up of `ids`, top to bottom. */
async function planOf(
  run: (sql: string, params: unknown[]) => Promise<unknown>,
  ids: string[],
): Promise<string[]> {
  const [row] = (await run(
    `EXPLAIN (FORMAT JSON) SELECT "id", "body" FROM "item" WHERE "id" = ANY($1::uuid[])`,
    [ids],
  )) as { 'QUERY PLAN': { Plan: PlanNode }[] }[];
  const types: string[] = [];
  const walk = (node: PlanNode) => {
    types.push(node['Node Type']);
    for (const child of node.Plans ?? []) walk(child);
  };
  walk(row!['QUERY PLAN'][0]!.Plan);
  return types;
}

/** The two settings planForKeyLookups changes, as the connection `run` sends to sees them. */
async function settingsOf(
  run: (sql: string) => Promise<unknown>,
): Promise<{ cost: string; workers: string }[]> {
  return (await run(
    `SELECT current_setting('random_page_cost') AS "cost", current_setting('max_parallel_workers_per_gather') AS "workers"`,
  )) as { cost: string; workers: string }[];
}

interface PlanNode {
  readonly 'Node Type': string;
  readonly Plans?: readonly PlanNode[];
}

describe('planForKeyLookups', () => {
  it('looks a batch of keys up by index, where the defaults scan the table', async () => {
    const ids = await storedIds(1500);
    // Postgres's defaults, whatever this server is configured with.
    const outside = await dataSource.transaction(async (m) => {
      await m.query('SET LOCAL random_page_cost = 4; SET LOCAL max_parallel_workers_per_gather = 2');
      return planOf((sql, params) => m.query(sql, params), ids);
    });
    expect(outside.some((t) => t === 'Seq Scan' || t === 'Parallel Seq Scan')).toBe(true);

    const inside = await dataSource.transaction(async (m) => {
      await planForKeyLookups(m);
      return planOf((sql, params) => m.query(sql, params), ids);
    });
    expect(inside.some((t) => t.includes('Seq Scan'))).toBe(false);
    expect(inside.some((t) => t === 'Index Scan' || t === 'Bitmap Index Scan')).toBe(true);
    expect(inside).not.toContain('Gather');
  });

  it('leaves the pooled connection with the server settings once the transaction ends', async () => {
    const before = await settingsOf((sql) => dataSource.query(sql));
    const during = await dataSource.transaction(async (m) => {
      await planForKeyLookups(m);
      return settingsOf((sql) => m.query(sql));
    });
    expect(during).toEqual([{ cost: '1.1', workers: '0' }]);
    // The pool holds one connection: this is the one the transaction used.
    const after = await settingsOf((sql) => dataSource.query(sql));
    expect(after).toEqual(before);
    expect(after[0]!.cost).not.toBe('1.1');
  });
});

describe('openDatabase', () => {
  it("keeps its pool's idle minimum of sessions open past the idle timeout, and closes the others", async () => {
    const applicationName = `mash-pool-test-${process.pid}`;
    const opened = await openDatabase({
      url: db.url,
      schema: 'pool_test',
      entities: [],
      migrations: [],
      applicationName,
      poolSize: 5,
      poolIdleTimeoutMs: 200,
    });
    const sessions = async () => {
      const [row] = (await dataSource.query(
        `SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1`,
        [applicationName],
      )) as { n: number }[];
      return row!.n;
    };
    try {
      // Four statements at once take four sessions.
      await Promise.all([1, 2, 3, 4].map(() => opened.query('SELECT pg_sleep(0.1)')));
      expect(await sessions()).toBe(4);
      await new Promise((resolve) => setTimeout(resolve, 800));
      expect(await sessions()).toBe(2);
    } finally {
      await opened.destroy();
    }
  });
});
