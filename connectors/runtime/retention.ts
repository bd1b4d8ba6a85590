import type { PurgeRule } from '@mash/service-kit';

/**
 * What the connectors keep only for a while: raw events (their duplicates go with them) and rejected events. Once a
 * raw event is purged, a replay of it is taken as new; the cases service still applies it once (deterministic
 * status-change ids), so only the duplicate report is lost.
 */
export function ingestPurgeRules(retentionDays: number): PurgeRule[] {
  return [
    { what: 'ingest.raw_event', table: '"ingest"."raw_event"', agedBy: 'received_at', retentionDays },
    {
      what: 'ingest.rejected_event',
      table: '"ingest"."rejected_event"',
      agedBy: 'received_at',
      retentionDays,
    },
  ];
}
