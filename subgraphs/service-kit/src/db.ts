import 'reflect-metadata';
import { DataSource, type EntityManager, type MixedList, type EntitySchema } from 'typeorm';
import type { Logger } from './logger';

export { DataSource };

export interface DatabaseOptions {
  readonly url: string;
  /** The Postgres schema this deployable owns; no other deployable touches its tables. */
  readonly schema: string;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  readonly entities: MixedList<Function | string | EntitySchema>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  readonly migrations: MixedList<Function | string>;
  readonly applicationName: string;
  readonly poolSize?: number;
  /**
   * Connections kept open however long they sit idle (default 2, at most `poolSize`); the others close after 10 s
   * idle. A consumer's first run after a quiet spell then finds a session ready instead of opening one (in
   * `bench:ingest`, a new session's connection, its staging table and its first look-ups took 25-40 ms, with the
   * connector's fetch waiting behind that run).
   */
  readonly poolMinIdle?: number;
  /** How long the other connections may sit idle before they close (default 10 s, pg's). */
  readonly poolIdleTimeoutMs?: number;
  readonly logger?: Logger;
}

/**
 * Opens the deployable's database and brings its schema up to date. Migrations run under an advisory lock, so
 * several instances starting together migrate once.
 */
export async function openDatabase(options: DatabaseOptions): Promise<DataSource> {
  const max = options.poolSize ?? 10;
  const dataSource = new DataSource({
    type: 'postgres',
    url: options.url,
    schema: options.schema,
    entities: options.entities,
    migrations: options.migrations,
    migrationsTableName: 'migrations',
    synchronize: false,
    logging: false,
    applicationName: options.applicationName,
    extra: {
      max,
      min: Math.min(options.poolMinIdle ?? 2, max),
      idleTimeoutMillis: options.poolIdleTimeoutMs ?? 10_000,
    },
  });
  await dataSource.initialize();
  const runner = dataSource.createQueryRunner();
  try {
    await runner.connect();
    await runner.query('SELECT pg_advisory_lock(hashtext($1))', [`mash-migrations:${options.schema}`]);
    await runner.query(`CREATE SCHEMA IF NOT EXISTS "${options.schema}"`);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    if (applied.length > 0) {
      options.logger?.info(
        { schema: options.schema, migrations: applied.map((m) => m.name) },
        'migrations applied',
      );
    }
  } finally {
    await runner
      .query('SELECT pg_advisory_unlock(hashtext($1))', [`mash-migrations:${options.schema}`])
      .catch(() => undefined);
    await runner.release();
  }
  return dataSource;
}

/**
 * Plans the rest of the caller's transaction for a batch's look-ups by key: a batch path reads and locks the rows of
 * a fetched batch's subjects, cases or timers by their keys (`= ANY($1)` with hundreds to a couple of thousand keys),
 * whose index and heap pages are in memory because the pipeline has just written or read them. With the server's
 * defaults (random_page_cost 4, priced for a spinning disk) the planner costs that many index probes above scanning
 * a table of under a few hundred thousand rows, so it scanned the whole table once per batch, in parallel workers
 * (each a process started for the one statement): on a cases table of 95,000 status changes, the batch's timeline
 * look-up took 5.7-12 ms as a scan and 3.9-4.2 ms by index, the signals window 33-39 ms (two workers) and 7 ms; a
 * timer look-up 4.1 ms and 0.09 ms. SET LOCAL ends with the transaction: the pooled connection, and every other
 * statement the service sends, keep the server's settings.
 */
export async function planForKeyLookups(manager: EntityManager): Promise<void> {
  // No parameters: sent as one simple query, both settings in one round trip.
  await manager.query('SET LOCAL random_page_cost = 1.1; SET LOCAL max_parallel_workers_per_gather = 0');
}
