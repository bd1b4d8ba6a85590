import type { DataSource } from 'typeorm';
import { AUDIT_MIN_RETENTION_DAYS } from './migrations';

export interface PurgeResult {
  readonly what: string;
  /** Rows past retention: deleted, or (dry run) that would be. */
  readonly rows: number;
}

/**
 * Deletes audit entries older than `retentionDays` (never fewer than the database's floor). The session tells the
 * append-only trigger the retention, and the trigger lets through only rows older than it.
 */
export async function purgeAuditTrail(
  dataSource: DataSource,
  retentionDays: number,
  dryRun: boolean,
): Promise<PurgeResult> {
  const days = Math.max(retentionDays, AUDIT_MIN_RETENTION_DAYS);
  return dataSource.transaction(async (m) => {
    const cutoff = `now() - make_interval(days => $1::int)`;
    if (dryRun) {
      const [row] = (await m.query(`SELECT count(*)::int AS n FROM "audit"."entry" WHERE "at" < ${cutoff}`, [
        days,
      ])) as { n: number }[];
      return { what: 'audit.entry', rows: row?.n ?? 0 };
    }
    await m.query(`SELECT set_config('mash.audit_retention_days', $1, true)`, [String(days)]);
    const [, count] = (await m.query(`DELETE FROM "audit"."entry" WHERE "at" < ${cutoff}`, [days])) as [
      unknown,
      number,
    ];
    return { what: 'audit.entry', rows: count };
  });
}
