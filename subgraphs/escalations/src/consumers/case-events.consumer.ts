import type { Kafka } from 'kafkajs';
import {
  sendToDeadLetter,
  STAGE_FETCH,
  startConsumer,
  type EventProducer,
  type PipelineMetrics,
  type RunningConsumer,
} from '@mash/kafka';
import type { Logger } from '@mash/service-kit';
import type { EscalationEngine } from '../services/engine.service';
import { parseCaseEvent } from './case-event';

export interface CaseEventsConsumerOptions {
  readonly kafka: Kafka;
  readonly groupId: string;
  readonly topic: string;
  readonly deadLetterTopic: string;
  readonly producer: EventProducer;
  readonly engine: EscalationEngine;
  readonly logger: Logger;
  readonly metrics?: PipelineMetrics;
}

/** Feeds case events to the escalation engine, at least once; one that can never apply is dead-lettered. */
export function startCaseEventsConsumer(options: CaseEventsConsumerOptions): Promise<RunningConsumer> {
  const { kafka, groupId, topic, deadLetterTopic, producer, engine, logger } = options;
  const events = logger.child({ component: 'case-events' });
  return startConsumer({
    kafka,
    groupId,
    topics: [topic],
    logger,
    // Runs as large as a fetch: the statements a run sends do not grow with it.
    maxBatchSize: 2000,
    ...STAGE_FETCH,
    // A batch in one transaction; a malformed record fails the batch and the consumer isolates it.
    handleBatch: async (messages) => {
      await engine.handleBatch(messages.map((message) => parseCaseEvent(message.value)));
    },
    ...(options.metrics && { metrics: options.metrics }),
    // A case event that can never apply is kept, with its reason, for an operator; the partition moves on.
    deadLetter: async (message, error) => {
      events.error(
        { topic: message.topic, partition: message.partition, offset: message.offset, code: error.code },
        `case event dead-lettered: ${error.message}`,
      );
      await sendToDeadLetter(producer, deadLetterTopic, message, error.code, error.message);
    },
  });
}
