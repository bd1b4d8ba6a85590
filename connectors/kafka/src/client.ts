import { Kafka, logLevel, type LogEntry, type KafkaConfig } from 'kafkajs';
import type { KafkaAuth, Logger } from '@mash/service-kit';
import { registerCompressionCodecs } from './compression';
import { kafkaRetry } from './retry';

export interface KafkaClientOptions {
  readonly brokers: readonly string[];
  readonly clientId: string;
  readonly logger: Logger;
  /** SASL/SCRAM-SHA-512 credentials (and CA for TLS); a broker that requires them refuses clients without. */
  readonly auth?: KafkaAuth;
}

/** kafkajs's `sasl` and `ssl` settings for a principal. */
export function kafkaSecurity(auth: KafkaAuth | undefined): Pick<KafkaConfig, 'sasl' | 'ssl'> {
  if (!auth) return {};
  return {
    sasl: { mechanism: 'scram-sha-512', username: auth.username, password: auth.password },
    ...(auth.tlsCa !== undefined && { ssl: { ca: [auth.tlsCa] } }),
  };
}

const LEVELS: Record<number, 'error' | 'warn' | 'info' | 'debug'> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
};

/**
 * A kafkajs client whose logs go to the component's structured logger, able to read and write Snappy and LZ4
 * batches (`registerCompressionCodecs`).
 */
export function createKafka(options: KafkaClientOptions): Kafka {
  registerCompressionCodecs();
  const log = options.logger.child({ component: 'kafka' });
  const config: KafkaConfig = {
    clientId: options.clientId,
    brokers: [...options.brokers],
    retry: kafkaRetry.client,
    ...kafkaSecurity(options.auth),
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
