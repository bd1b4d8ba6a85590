import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * What an operator watches on the event pipeline, in one Prometheus registry per deployable (served on its
 * /metrics): records handled per group (rate() gives events/s per stage), batch sizes, consumer lag per group and
 * partition, dead-lettered records by code, retries of faults that can clear, offset commits, outbox depth and relay
 * failures.
 */
export class PipelineMetrics {
  readonly records: Counter<'group'>;
  readonly batchSize: Histogram<'group'>;
  readonly lag: Gauge<'group' | 'topic' | 'partition'>;
  readonly deadLettered: Counter<'group' | 'code'>;
  readonly retries: Counter<'group'>;
  readonly offsetCommits: Counter<'group'>;
  readonly outboxDepth: Gauge<'schema'>;
  readonly outboxPublished: Counter<'schema'>;
  readonly outboxFailures: Counter<'schema'>;

  constructor(readonly registry: Registry = new Registry()) {
    const registers = [registry];
    this.records = new Counter({
      name: 'mash_consumer_records_total',
      help: 'Records a consumer group has handled (applied or dead-lettered) and committed.',
      labelNames: ['group'],
      registers,
    });
    this.batchSize = new Histogram({
      name: 'mash_consumer_batch_size',
      help: 'Records per batch handed to a stage.',
      labelNames: ['group'],
      buckets: [1, 10, 50, 100, 250, 500, 1000],
      registers,
    });
    this.lag = new Gauge({
      name: 'mash_consumer_lag',
      help: 'Records behind the partition end after the last batch, per group and partition.',
      labelNames: ['group', 'topic', 'partition'],
      registers,
    });
    this.deadLettered = new Counter({
      name: 'mash_consumer_dead_lettered_total',
      help: 'Records sent to a dead-letter topic, by code.',
      labelNames: ['group', 'code'],
      registers,
    });
    this.retries = new Counter({
      name: 'mash_consumer_retries_total',
      help: 'Retries of batches or records after a fault that can clear (database or broker unavailable).',
      labelNames: ['group'],
      registers,
    });
    this.offsetCommits = new Counter({
      name: 'mash_consumer_offset_commits_total',
      help: 'Offset commit requests a consumer group has sent (each one a write to the broker’s offsets log).',
      labelNames: ['group'],
      registers,
    });
    this.outboxDepth = new Gauge({
      name: 'mash_outbox_depth',
      help: 'Outbox rows waiting to be published, as last seen by the relay.',
      labelNames: ['schema'],
      registers,
    });
    this.outboxPublished = new Counter({
      name: 'mash_outbox_published_total',
      help: 'Outbox rows published.',
      labelNames: ['schema'],
      registers,
    });
    this.outboxFailures = new Counter({
      name: 'mash_outbox_failures_total',
      help: 'Relay runs that failed (broker or database unavailable) and backed off.',
      labelNames: ['schema'],
      registers,
    });
  }
}

/** The metrics of one consumer group. */
export function consumerMetrics(metrics: PipelineMetrics, group: string) {
  return {
    records: metrics.records.labels({ group }),
    batchSize: metrics.batchSize.labels({ group }),
    retries: metrics.retries.labels({ group }),
    offsetCommits: metrics.offsetCommits.labels({ group }),
    deadLettered: { inc: (labels: { code: string }) => metrics.deadLettered.inc({ group, ...labels }) },
    lag: (topic: string, partition: number, value: number) =>
      metrics.lag.set({ group, topic, partition: String(partition) }, value),
  };
}
