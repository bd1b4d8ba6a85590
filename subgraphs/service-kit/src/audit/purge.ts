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
  const [exists] = (await dataSource.query(
    `SELECT to_regclass('"audit"."entry"') IS NOT NULL AS "present"`,
  )) as {
    present: boolean;
  }[];
  if (!exists?.present) return { what: 'audit.entry', rows: 0 };
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

/** Rows of one table that may go once older than their retention. Owners declare their own (STYLE rule 8). */
export interface PurgeRule {
  /** `schema.table`, for the report. */
  readonly what: string;
  /** The quoted table, e.g. `"ingest"."raw_event"`. */
  readonly table: string;
  /** The timestamp column that ages a row; rows where it is null are kept. */
  readonly agedBy: string;
  readonly retentionDays: number;
}

/** Deletes (or, dry run, counts) the rows of one rule past retention. */
export async function purgeRows(
  dataSource: DataSource,
  rule: PurgeRule,
  dryRun: boolean,
): Promise<PurgeResult> {
  if (!Number.isInteger(rule.retentionDays) || rule.retentionDays < 1) {
    throw new Error(`${rule.what}: retention must be a whole number of days, at least 1`);
  }
  const where = `"${rule.agedBy}" < now() - make_interval(days => $1::int)`;
  // A deployable that never ran here has no table to purge.
  const [exists] = (await dataSource.query(`SELECT to_regclass($1) IS NOT NULL AS "present"`, [
    rule.table,
  ])) as {
    present: boolean;
  }[];
  if (!exists?.present) return { what: rule.what, rows: 0 };
  if (dryRun) {
    const [row] = (await dataSource.query(`SELECT count(*)::int AS n FROM ${rule.table} WHERE ${where}`, [
      rule.retentionDays,
    ])) as { n: number }[];
    return { what: rule.what, rows: row?.n ?? 0 };
  }
  const [, count] = (await dataSource.query(`DELETE FROM ${rule.table} WHERE ${where}`, [
    rule.retentionDays,
  ])) as [unknown, number];
  return { what: rule.what, rows: count };
}
