import { ingestPurgeRules } from '@mash/connectors';
import { escalationsPurgeRules } from '@mash/escalations';
import { createLogger, loadConfig, purgeAuditTrail, purgeRows, z, type PurgeResult } from '@mash/service-kit';
import { DataSource } from 'typeorm';

/**
 * `npm run purge [-- --dry-run]`: deletes what the retention policy lets go (README, "Retention"): raw and rejected
 * events, fired timers and inbox rows past their retention, and audit entries past the audit retention (the
 * database refuses any younger). `--dry-run` counts instead.
 */
const schema = z.object({
  DATABASE_URL: z.string().min(1, 'is required (postgres://user@host:port/db)'),
  RAW_EVENT_RETENTION_DAYS: z.coerce.number().int().min(1).default(90),
  FIRED_TIMER_RETENTION_DAYS: z.coerce.number().int().min(1).default(30),
  INBOX_RETENTION_DAYS: z.coerce.number().int().min(1).default(30),
  AUDIT_RETENTION_DAYS: z.coerce.number().int().min(365).default(2190),
});

async function main(): Promise<void> {
  const dryRun = process.argv.includes('--dry-run');
  const config = loadConfig(schema);
  const logger = createLogger('purge');
  const dataSource = new DataSource({
    type: 'postgres',
    url: config.DATABASE_URL,
    applicationName: 'mash-purge',
  });
  await dataSource.initialize();
  try {
    const results: PurgeResult[] = [];
    const rules = [
      ...ingestPurgeRules(config.RAW_EVENT_RETENTION_DAYS),
      ...escalationsPurgeRules({
        firedTimers: config.FIRED_TIMER_RETENTION_DAYS,
        inbox: config.INBOX_RETENTION_DAYS,
      }),
    ];
    for (const rule of rules) results.push(await purgeRows(dataSource, rule, dryRun));
    results.push(await purgeAuditTrail(dataSource, config.AUDIT_RETENTION_DAYS, dryRun));
    for (const r of results)
      logger.info({ table: r.what, rows: r.rows, dryRun }, dryRun ? 'would purge' : 'purged');
  } finally {
    await dataSource.destroy();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`purge failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
