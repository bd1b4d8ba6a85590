import { Kafka, logLevel, type KafkaConfig, type SASLOptions } from 'kafkajs';
import { registerCompressionCodecs } from '@mash/kafka';
import { UsageError } from './output';

/** How to reach the broker: flags first, then the environment, then the local default. */
export interface BrokerFlags {
  readonly brokers?: string;
  readonly username?: string;
  readonly password?: string;
  readonly saslMechanism?: string;
  readonly ssl?: boolean;
}

export const DEFAULT_BROKERS = '127.0.0.1:9092';
const MECHANISMS = ['scram-sha-512', 'scram-sha-256', 'plain'] as const;
type Mechanism = (typeof MECHANISMS)[number];

/** The kafkajs configuration for the flags: SASL only when a username is given (by flag or KAFKA_USERNAME). */
export function kafkaConfig(flags: BrokerFlags, env: NodeJS.ProcessEnv = process.env): KafkaConfig {
  const brokers = (flags.brokers ?? env['KAFKA_BROKERS'] ?? DEFAULT_BROKERS)
    .split(',')
    .map((b) => b.trim())
    .filter((b) => b.length > 0);
  if (brokers.length === 0) throw new UsageError('--brokers must name at least one host:port');
  const username = flags.username ?? env['KAFKA_USERNAME'];
  const password = flags.password ?? env['KAFKA_PASSWORD'];
  const mechanism = (flags.saslMechanism ?? env['KAFKA_SASL_MECHANISM'] ?? 'scram-sha-512').toLowerCase();
  if (!(MECHANISMS as readonly string[]).includes(mechanism)) {
    throw new UsageError(`--sasl-mechanism must be one of ${MECHANISMS.join(', ')}, not "${mechanism}"`);
  }
  if ((username === undefined) !== (password === undefined)) {
    throw new UsageError(
      'give both --username and --password (or KAFKA_USERNAME and KAFKA_PASSWORD), or neither',
    );
  }
  const sasl: SASLOptions | undefined =
    username !== undefined && password !== undefined
      ? ({ mechanism: mechanism as Mechanism, username, password } as SASLOptions)
      : undefined;
  const ssl = flags.ssl ?? env['KAFKA_SSL'] === 'true';
  return {
    clientId: 'mash-connect',
    brokers,
    ...(sasl && { sasl }),
    ...(ssl && { ssl: true }),
    connectionTimeout: 5000,
    retry: { retries: 3, initialRetryTime: 300 },
    logLevel: logLevel.NOTHING,
  };
}

/** A client that also reads the Snappy and LZ4 batches the platform's producers and agencies send. */
export function createKafka(flags: BrokerFlags): Kafka {
  registerCompressionCodecs();
  return new Kafka(kafkaConfig(flags));
}
