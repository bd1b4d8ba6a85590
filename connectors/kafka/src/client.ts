import { Kafka, logLevel, type LogEntry, type KafkaConfig } from 'kafkajs';
import type { Logger } from '@mash/service-kit';
import { kafkaRetry } from './retry';

export interface KafkaClientOptions {
  readonly brokers: readonly string[];
  readonly clientId: string;
  readonly logger: Logger;
}

const LEVELS: Record<number, 'error' | 'warn' | 'info' | 'debug'> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
};

/** A kafkajs client whose logs go to the component's structured logger. */
export function createKafka(options: KafkaClientOptions): Kafka {
  const log = options.logger.child({ component: 'kafka' });
  const config: KafkaConfig = {
    clientId: options.clientId,
    brokers: [...options.brokers],
    retry: kafkaRetry.client,
    logLevel: logLevel.WARN,
    logCreator:
      () =>
      ({ namespace, level, log: entry }: LogEntry) => {
        const { message, ...extra } = entry;
        // kafkajs logs every error response at ERROR before retrying it (a new broker's "coordinator is loading",
        // "not the leader for that topic-partition"); those are debug. Retries that run out fail the operation,
        // which its caller logs.
        const retried =
          level === logLevel.ERROR && namespace === 'Connection' && message.startsWith('Response ');
        log[retried ? 'debug' : (LEVELS[level] ?? 'info')]({ namespace, ...extra }, message);
      },
  };
  return new Kafka(config);
}
