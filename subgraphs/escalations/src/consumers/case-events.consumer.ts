import type { Kafka } from 'kafkajs';
import { sendToDeadLetter, startConsumer, type EventProducer, type RunningConsumer } from '@mash/kafka';
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
    handle: async (message) => {
      await engine.handle(parseCaseEvent(message.value));
    },
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
