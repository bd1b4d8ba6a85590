import {
  NonRetriableError,
  startConsumer,
  type ConsumedMessage,
  type EventProducer,
  type RunningConsumer,
} from '@mash/connectors';
import type { Logger } from '@mash/platform';
import { DeadLetterHeaders } from '@mash/schema';
import type { Kafka } from 'kafkajs';
import { parseStatusChangeMessage } from '../domain/status-change-message';
import type { StatusChangeService } from '../services/status-change.service';

/** Where status-change records that can never be processed go, with their reason in headers. */
export function statusChangesDeadLetterTopic(prefix: string): string {
  return `${prefix}mash.dlq.status-changes.v1`;
}

export interface StatusChangeConsumerOptions {
  readonly kafka: Kafka;
  readonly groupId: string;
  readonly topic: string;
  readonly deadLetterTopic: string;
  readonly producer: EventProducer;
  readonly service: StatusChangeService;
  readonly logger: Logger;
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
    handle: async (record: ConsumedMessage) => {
      const parsed = parseStatusChangeMessage(record.value);
      if (!parsed.ok) throw new NonRetriableError(parsed.code, parsed.reason);
      await options.service.ingest(parsed.message);
    },
    deadLetter: async (record: ConsumedMessage, error: NonRetriableError) => {
      await options.producer.send(options.deadLetterTopic, [
        {
          key: record.key ?? '',
          value: record.value ?? Buffer.alloc(0),
          headers: {
            ...record.headers,
            [DeadLetterHeaders.code]: error.code,
            [DeadLetterHeaders.reason]: error.message,
            [DeadLetterHeaders.sourceTopic]: record.topic,
            [DeadLetterHeaders.sourcePartition]: String(record.partition),
            [DeadLetterHeaders.sourceOffset]: record.offset,
            [DeadLetterHeaders.rejectedAt]: new Date().toISOString(),
          },
        },
      ]);
    },
  });
}
