import {
  NonRetriableError,
  sendToDeadLetter,
  STAGE_FETCH,
  startConsumer,
  type ConsumedMessage,
  type ConsumerHooks,
  type PipelineMetrics,
  type EventProducer,
  type RunningConsumer,
} from '@mash/kafka';
import type { Logger } from '@mash/service-kit';
import { topics } from '@mash/schema';
import type { Kafka } from 'kafkajs';
import { parseStatusChangeMessage } from './status-change-message';
import type { StatusChangeService } from '../services/status-change.service';

/** Where status-change records that can never be processed go, with their reason in headers. */
export function statusChangesDeadLetterTopic(prefix: string): string {
  return topics(prefix).internalDeadLetter('status-changes');
}

export interface StatusChangeConsumerOptions {
  readonly kafka: Kafka;
  readonly groupId: string;
  readonly topic: string;
  readonly deadLetterTopic: string;
  readonly producer: EventProducer;
  readonly service: StatusChangeService;
  readonly logger: Logger;
  readonly metrics?: PipelineMetrics;
  readonly hooks?: ConsumerHooks;
}

/**
 * Consumes `mash.status-changes.v1` at least once. A record that is not a status change is dead-lettered (original
 * bytes, reason headers) and the partition moves on; a database failure is thrown and retried.
 */
export function startStatusChangeConsumer(options: StatusChangeConsumerOptions): Promise<RunningConsumer> {
  return startConsumer({
    kafka: options.kafka,
    groupId: options.groupId,
    topics: [options.topic],
    logger: options.logger,
    // Runs as large as a fetch: the statements a run sends do not grow with it.
    maxBatchSize: 2000,
    ...STAGE_FETCH,
    // A batch in one transaction, or two when another run holds some of its subjects (`ingestBatch`: the second
    // applies those subjects' changes once they are let go; a retried run replays what the first committed). A
    // record that is not a status change (or that Postgres refuses) fails the batch, and the consumer applies the
    // records one by one to dead-letter it.
    handleBatch: async (records: readonly ConsumedMessage[]) => {
      const messages = records.map((record) => {
        const parsed = parseStatusChangeMessage(record.value);
        if (!parsed.ok) throw new NonRetriableError(parsed.code, parsed.reason);
        return parsed.message;
      });
      await options.service.ingestBatch(messages);
    },
    ...(options.metrics && { metrics: options.metrics }),
    ...(options.hooks && { hooks: options.hooks }),
    deadLetter: (record: ConsumedMessage, error: NonRetriableError) =>
      sendToDeadLetter(options.producer, options.deadLetterTopic, record, error.code, error.message),
  });
}
