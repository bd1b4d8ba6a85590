import 'reflect-metadata';
import { DataSource, type MixedList, type EntitySchema } from 'typeorm';
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
  readonly logger?: Logger;
}

/**
 * Opens the deployable's database and brings its schema up to date. Migrations run under an advisory lock, so
 * several instances starting together migrate once.
 */
export async function openDatabase(options: DatabaseOptions): Promise<DataSource> {
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
    extra: { max: options.poolSize ?? 10 },
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
