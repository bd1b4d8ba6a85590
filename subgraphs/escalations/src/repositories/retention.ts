import type { PurgeRule } from '@mash/service-kit';
import { DB_SCHEMA } from '../entities/schema-name';

/**
 * What the escalations service keeps only for a while: timers that have fired (unfired timers are never purged)
 * and inbox rows. The inbox holds only case events without a sequence (written before case events carried one:
 * every later one is recognised by its case's stored sequence, however late it comes); one of those redelivered
 * after its inbox row is gone would be applied again, so the inbox retention must outlast the case-events topic's
 * own retention.
 */
export function escalationsPurgeRules(days: { firedTimers: number; inbox: number }): PurgeRule[] {
  return [
    {
      what: 'escalations.timer (fired)',
      table: `"${DB_SCHEMA}"."timer"`,
      agedBy: 'fired_at',
      retentionDays: days.firedTimers,
    },
    {
      what: 'escalations.inbox',
      table: `"${DB_SCHEMA}"."inbox"`,
      agedBy: 'processed_at',
      retentionDays: days.inbox,
    },
  ];
}
