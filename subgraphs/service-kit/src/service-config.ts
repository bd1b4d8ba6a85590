import { readFileSync } from 'node:fs';
import {
  env,
  jwtConfigOf,
  jwtConfigSchema,
  loadConfig,
  usesDefaultDatabasePassword,
  z,
  type JwtConfig,
} from './config';

/** What every mash-graph deployable is started with. Built from the environment by `loadServiceConfig`, or in code. */
export interface ServiceConfig {
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
  readonly databaseUrl: string;
  readonly jwt: JwtConfig;
  readonly kafkaBrokers: readonly string[];
  /** Prefix of every topic and consumer group name, so that runs sharing a broker do not collide. */
  readonly topicPrefix: string;
  /** The agencies subgraph's GraphQL URL, for reference data (source systems, policies). */
  readonly agenciesUrl: string;
  /**
   * Whether the audit trail is written (default true). Off only to measure what auditing costs
   * (`npm run bench:gateway -- --audit-compare`); never in production.
   */
  readonly auditEnabled?: boolean;
  /** The service's Kafka principal (SASL/SCRAM-SHA-512), and the broker's CA when it speaks TLS. */
  readonly kafkaAuth?: KafkaAuth;
  /** How the service's producers compress record batches (default Snappy). */
  readonly kafkaCompression?: KafkaCompressionSetting;
}

/** The record batch compressions a producer can use (`KAFKA_COMPRESSION`). */
export const KAFKA_COMPRESSION_SETTINGS = ['none', 'gzip', 'snappy', 'lz4'] as const;
export type KafkaCompressionSetting = (typeof KAFKA_COMPRESSION_SETTINGS)[number];

/** A Kafka principal's SASL/SCRAM-SHA-512 credentials, and the CA (PEM) to trust when the broker speaks TLS. */
export interface KafkaAuth {
  readonly username: string;
  readonly password: string;
  readonly tlsCa?: string;
}

const schema = z
  .object({
    HOST: z.string().default('127.0.0.1'),
    PORT: env.port(0),
    DATABASE_URL: z
      .string()
      .min(1, 'is required (postgres://user@host:port/db)')
      .refine((url) => !usesDefaultDatabasePassword(url), {
        message:
          'uses the default password "postgres": set a password of your own; only `npm start` runs its ' +
          'embedded database with it',
      }),
    KAFKA_BROKERS: env.list('127.0.0.1:9092'),
    TOPIC_PREFIX: z.string().default(''),
    AGENCIES_URL: z.url().default('http://127.0.0.1:4001/graphql'),
    AUDIT_ENABLED: env.bool(true),
    /** The service's principal on a broker that requires SASL/SCRAM-SHA-512 (the development broker does). */
    KAFKA_USERNAME: z.string().min(1).optional(),
    KAFKA_PASSWORD: z.string().min(1).optional(),
    /** A PEM file: the broker's CA, which turns TLS on. */
    KAFKA_TLS_CA_FILE: z.string().min(1).optional(),
    /** How the service's producers compress record batches; every service reads all of these. */
    KAFKA_COMPRESSION: z.enum(KAFKA_COMPRESSION_SETTINGS).default('snappy'),
  })
  .refine((c) => !!c.KAFKA_USERNAME === !!c.KAFKA_PASSWORD, {
    message: 'KAFKA_USERNAME and KAFKA_PASSWORD go together',
    path: ['KAFKA_PASSWORD'],
  })
  .and(jwtConfigSchema);

/** Reads a deployable's configuration from the environment; `defaultPort` applies when PORT is not set. */
export function loadServiceConfig(
  defaultPort: number,
  source: Record<string, string | undefined> = process.env,
): ServiceConfig {
  return serviceConfigOf(loadConfig(schema, { PORT: String(defaultPort), ...source }));
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** A deployable's whole configuration: the common service settings, its log level and its own variables. */
export interface DeployableConfig<O> {
  readonly service: ServiceConfig;
  readonly logLevel: LogLevel;
  readonly own: O;
}

/**
 * Reads a deployable's whole configuration (the service settings, LOG_LEVEL and the deployable's own variables)
 * in one validation, so that a bad start-up names every bad variable at once.
 */
export function loadDeployableConfig<S extends z.ZodObject>(
  defaultPort: number,
  own: S,
  source: Record<string, string | undefined> = process.env,
): DeployableConfig<z.infer<S>> {
  const all = schema.and(z.object({ LOG_LEVEL: z.enum(LOG_LEVELS).default('info') })).and(own);
  const p = loadConfig(all, { PORT: String(defaultPort), ...source });
  return { service: serviceConfigOf(p), logLevel: p.LOG_LEVEL, own: p as z.infer<S> };
}

function serviceConfigOf(p: z.infer<typeof schema>): ServiceConfig {
  return {
    host: p.HOST,
    port: p.PORT,
    databaseUrl: p.DATABASE_URL,
    kafkaBrokers: p.KAFKA_BROKERS,
    topicPrefix: p.TOPIC_PREFIX,
    agenciesUrl: p.AGENCIES_URL,
    auditEnabled: p.AUDIT_ENABLED,
    jwt: jwtConfigOf(p),
    kafkaCompression: p.KAFKA_COMPRESSION,
    ...(p.KAFKA_USERNAME &&
      p.KAFKA_PASSWORD && {
        kafkaAuth: {
          username: p.KAFKA_USERNAME,
          password: p.KAFKA_PASSWORD,
          ...(p.KAFKA_TLS_CA_FILE && { tlsCa: readFileSync(p.KAFKA_TLS_CA_FILE, 'utf8') }),
        },
      }),
  };
}

/** A running deployable. */
export interface RunningService {
  readonly name: string;
  /** GraphQL URL, for subgraphs and the gateway. */
  readonly url?: string;
  stop(): Promise<void>;
}
