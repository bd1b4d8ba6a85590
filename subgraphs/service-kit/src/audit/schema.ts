import { openDatabase } from '../db';
import type { Logger } from '../logger';
import { auditMigrations } from './migrations';

/**
 * Brings the `audit` schema up to date (its own migrations table, under the same advisory lock as any schema).
 * Every subgraph runs it at start-up: the schema belongs to the service kit, which every subgraph writes through.
 */
export async function migrateAuditSchema(url: string, logger?: Logger): Promise<void> {
  const ds = await openDatabase({
    url,
    schema: 'audit',
    entities: [],
    migrations: auditMigrations,
    applicationName: 'mash-audit-migrations',
    poolSize: 2,
    ...(logger && { logger }),
  });
  await ds.destroy();
}
