import { Gauge, type Registry } from 'prom-client';
import type { AgencyFamily } from '@mash/schema';
import type { Logger } from '@mash/service-kit';
import type { ConsumerLagReader } from './lag';
import type { EventCountRow, SourceHealthRepository } from './source-health';

/** The label of a record whose type could not be read or is not published. */
const UNREADABLE = 'unreadable';

/**
 * The connector health figures the graph serves, as Prometheus gauges read from the same tables at scrape time (so
 * the two never disagree, and every connector instance reports the same): events by source system, type and
 * outcome; dead-letters by code; the last event's time; each source system topic's consumer lag.
 */
export function registerConnectorHealthMetrics(
  registry: Registry,
  sources: {
    readonly health: SourceHealthRepository;
    readonly lag: ConsumerLagReader;
    readonly families: readonly AgencyFamily[];
    readonly logger: Logger;
  },
): void {
  const registers = [registry];
  let snapshot: { readonly rows: Promise<EventCountRow[]>; readonly at: number } | undefined;
  // One read per scrape for the three gauges that share the counts.
  const counts = (): Promise<EventCountRow[]> => {
    if (!snapshot || Date.now() - snapshot.at > 1_000) {
      snapshot = { rows: sources.health.counts(), at: Date.now() };
    }
    return snapshot.rows;
  };
  const label = (type: string) => type || UNREADABLE;

  new Gauge({
    name: 'mash_connector_events',
    help: 'Events from a source system by type and outcome (accepted, duplicate, rejected), counted since it first published.',
    labelNames: ['source_system', 'type', 'outcome'],
    registers,
    async collect() {
      this.reset();
      const sums = new Map<string, { labels: Record<string, string>; value: number }>();
      for (const r of await counts()) {
        const labels = { source_system: r.sourceSystem, type: label(r.type), outcome: r.outcome };
        const key = JSON.stringify(labels);
        sums.set(key, { labels, value: (sums.get(key)?.value ?? 0) + r.count });
      }
      for (const { labels, value } of sums.values()) this.set(labels, value);
    },
  });
  new Gauge({
    name: 'mash_connector_dead_letters',
    help: 'Events of a source system dead-lettered, by type and rejection code.',
    labelNames: ['source_system', 'type', 'code'],
    registers,
    async collect() {
      this.reset();
      for (const r of await counts()) {
        if (r.outcome !== 'rejected') continue;
        this.set({ source_system: r.sourceSystem, type: label(r.type), code: r.code }, r.count);
      }
    },
  });
  new Gauge({
    name: 'mash_connector_last_event_timestamp_seconds',
    help: 'When the last event of a source system and type arrived (Unix time), whatever became of it.',
    labelNames: ['source_system', 'type'],
    registers,
    async collect() {
      this.reset();
      const last = new Map<string, { labels: Record<string, string>; value: number }>();
      for (const r of await counts()) {
        const labels = { source_system: r.sourceSystem, type: label(r.type) };
        const key = JSON.stringify(labels);
        const value = r.lastAt.getTime() / 1000;
        if ((last.get(key)?.value ?? -Infinity) < value) last.set(key, { labels, value });
      }
      for (const { labels, value } of last.values()) this.set(labels, value);
    },
  });
  new Gauge({
    name: 'mash_connector_source_lag',
    help: "Records on a source system's topic the connector has not consumed yet.",
    labelNames: ['source_system'],
    registers,
    async collect() {
      this.reset();
      try {
        for (const { family, sourceSystem } of await sources.lag.sourceSystemTopics(sources.families)) {
          const lag = await sources.lag.ofSourceSystem(family, sourceSystem);
          if (lag !== null) this.set({ source_system: sourceSystem }, lag);
        }
      } catch (err) {
        sources.logger.warn({ err }, 'consumer lag unavailable for the metrics');
      }
    },
  });
}
