import type { Consumer, IHeaders, Kafka } from 'kafkajs';
import type { Logger } from '@mash/service-kit';
import { kafkaRetry } from './retry';

export interface ConsumedMessage {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly key: string | null;
  readonly value: Buffer | null;
  readonly headers: IHeaders;
  readonly timestamp: string;
}

/** Thrown by a handler for a message that can never succeed; anything else is retried. */
export class NonRetriableError extends Error {
  readonly retriable = false;
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'NonRetriableError';
  }
}

export interface ConsumerOptions {
  readonly kafka: Kafka;
  readonly groupId: string;
  /** Topic names, or patterns matched against the topics that exist when the consumer starts. */
  readonly topics: readonly (string | RegExp)[];
  readonly fromBeginning?: boolean;
  readonly logger: Logger;
  /** Handles one message. Resolving commits it; throwing a retriable error retries it (the offset stays). */
  readonly handle: (message: ConsumedMessage) => Promise<void>;
  /** Where a message that failed with a NonRetriableError goes; without it such a failure stops the partition. */
  readonly deadLetter?: (message: ConsumedMessage, error: NonRetriableError) => Promise<void>;
  readonly partitionsConsumedConcurrently?: number;
  /**
   * How long the broker may hold a fetch open when there is nothing new (default 1000 ms). `stop()` waits for the
   * fetch in flight, so this bounds how long a graceful shutdown takes per consumer (kafkajs's default is 5 s).
   */
  readonly maxWaitTimeMs?: number;
}

export interface RunningConsumer {
  /** Resolves once the consumer has joined its group and been given partitions. */
  readonly joined: Promise<void>;
  stop(): Promise<void>;
}

/**
 * At-least-once consumption: an offset is committed only after its handler (or the dead-letter path) finished,
 * so a crash redelivers, and handlers are idempotent. Retriable failures back off and retry; the consumer
 * restarts itself after the retries run out.
 */
export async function startConsumer(options: ConsumerOptions): Promise<RunningConsumer> {
  const log = options.logger.child({ component: 'consumer', groupId: options.groupId });
  const consumer: Consumer = options.kafka.consumer({
    groupId: options.groupId,
    retry: { ...kafkaRetry.consumer, restartOnFailure: async () => true },
    sessionTimeout: 30_000,
    heartbeatInterval: 3_000,
    maxWaitTimeInMs: options.maxWaitTimeMs ?? 1_000,
  });
  let resolveJoined: () => void = () => undefined;
  const joined = new Promise<void>((resolve) => (resolveJoined = resolve));
  consumer.on(consumer.events.GROUP_JOIN, (e) => {
    log.info({ assignment: e.payload.memberAssignment }, 'joined group');
    resolveJoined();
  });
  consumer.on(consumer.events.CRASH, (e) =>
    log.error({ err: e.payload.error, restart: e.payload.restart }, 'consumer crashed'),
  );

  await consumer.connect();
  await consumer.subscribe({ topics: [...options.topics], fromBeginning: options.fromBeginning ?? true });
  await consumer.run({
    partitionsConsumedConcurrently: options.partitionsConsumedConcurrently ?? 1,
    eachMessage: async ({ topic, partition, message }) => {
      const consumed: ConsumedMessage = {
        topic,
        partition,
        offset: message.offset,
        key: message.key?.toString('utf8') ?? null,
        value: message.value,
        headers: message.headers ?? {},
        timestamp: message.timestamp,
      };
      try {
        await options.handle(consumed);
      } catch (err) {
        if (err instanceof NonRetriableError && options.deadLetter) {
          log.warn(
            { topic, partition, offset: message.offset, code: err.code, reason: err.message },
            'dead-lettered',
          );
          await options.deadLetter(consumed, err);
          return;
        }
        log.error({ err, topic, partition, offset: message.offset }, 'message failed; will retry');
        throw err;
      }
    },
  });
  return {
    joined,
    async stop() {
      await consumer.disconnect();
    },
  };
}

export function headerString(headers: IHeaders, name: string): string | undefined {
  const v = headers[name];
  const first = Array.isArray(v) ? v[0] : v;
  return first === undefined ? undefined : first.toString();
}
