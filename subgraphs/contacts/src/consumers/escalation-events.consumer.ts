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
import type { Notifier } from '../services/notify.service';
import { parseEscalationEvent } from './escalation-event';

export interface EscalationEventsConsumerOptions {
  readonly kafka: Kafka;
  readonly groupId: string;
  readonly topic: string;
  readonly deadLetterTopic: string;
  readonly producer: EventProducer;
  readonly notifier: Notifier;
  readonly logger: Logger;
  readonly metrics?: PipelineMetrics;
}

/** Feeds escalation events to the notifier, at least once; one that can never apply is dead-lettered. */
export function startEscalationEventsConsumer(
  options: EscalationEventsConsumerOptions,
): Promise<RunningConsumer> {
  const { kafka, groupId, topic, deadLetterTopic, producer, notifier, logger } = options;
  const events = logger.child({ component: 'escalation-events' });
  return startConsumer({
    kafka,
    groupId,
    topics: [topic],
    logger,
    ...STAGE_FETCH,
    // A batch in one transaction; a malformed record fails the batch and the consumer isolates it.
    handleBatch: async (messages) => {
      await notifier.handleBatch(messages.map((message) => parseEscalationEvent(message.value)));
    },
    ...(options.metrics && { metrics: options.metrics }),
    // An escalation event that can never apply is kept, with its reason, for an operator; the partition moves on.
    deadLetter: async (message, error) => {
      events.error(
        { topic: message.topic, partition: message.partition, offset: message.offset, code: error.code },
        `escalation event dead-lettered: ${error.message}`,
      );
      await sendToDeadLetter(producer, deadLetterTopic, message, error.code, error.message);
    },
  });
}
