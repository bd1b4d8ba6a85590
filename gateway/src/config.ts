import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  env,
  jwtConfigOf,
  jwtConfigSchema,
  loadConfig,
  LOG_LEVELS,
  z,
  type JwtConfig,
  type KafkaAuth,
  type LogLevel,
} from '@mash/service-kit';

export const SUBGRAPH_NAMES = ['agencies', 'contacts', 'cases', 'escalations', 'connector'] as const;
export type SubgraphName = (typeof SUBGRAPH_NAMES)[number];

export interface GatewayConfig {
  readonly host: string;
  readonly port: number;
  /** The committed, composed supergraph the gateway serves (no introspection of running services). */
  readonly supergraphPath: string;
  /** Where each subgraph runs now; overrides the URLs recorded in the supergraph. */
  readonly subgraphUrls: Readonly<Record<SubgraphName, string>>;
  readonly jwt: JwtConfig;
  /** Milliseconds a subgraph call may take before the gateway gives up on it. */
  readonly subgraphTimeoutMs: number;
  /**
   * Subgraphs whose identical in-flight queries for one token share one call (default: the four; cases and
   * escalations record every sharer's read in their audit trail).
   */
  readonly sharedFetchSubgraphs?: readonly string[];
  /**
   * Identical queries in flight at once for the same token share one execution and one serialized answer, every
   * reader's read recorded by the audited subgraphs (default on; `operation-sharing.ts`).
   */
  readonly shareOperations?: boolean;
  /** Abuse limits on every document (defaults in `DEFAULT_LIMITS`). */
  readonly limits?: Partial<GatewayLimits>;
  /** LOG_LEVEL (default info). */
  readonly logLevel?: LogLevel;
  /**
   * Where the live consumer reads escalation events (KAFKA_BROKERS, TOPIC_PREFIX) and as which principal
   * (KAFKA_USERNAME/KAFKA_PASSWORD, KAFKA_TLS_CA_FILE); subscriptions are off without KAFKA_BROKERS.
   */
  readonly kafka?: GatewayKafkaConfig;
}

export interface GatewayKafkaConfig {
  readonly kafkaBrokers: readonly string[];
  readonly kafkaAuth?: KafkaAuth;
  readonly topicPrefix: string;
}

export interface GatewayLimits {
  /** Deepest field nesting. */
  readonly maxDepth: number;
  /** Aliases in one document. */
  readonly maxAliases: number;
  /** graphql-armor's cost: objects 2, scalars 1, each level of depth multiplying by 1.5. */
  readonly maxCost: number;
  /** Lexical tokens in one document (its size, as the parser sees it). */
  readonly maxTokens: number;
  readonly maxDirectives: number;
  /** Schema introspection (off unless configured; the demo turns it on). */
  readonly introspection: boolean;
}

export const DEFAULT_LIMITS: GatewayLimits = {
  maxDepth: 10,
  maxAliases: 15,
  maxCost: 5000,
  maxTokens: 2000,
  maxDirectives: 20,
  introspection: false,
};

const schema = z
  .object({
    HOST: z.string().default('127.0.0.1'),
    PORT: env.port(4000),
    SUPERGRAPH_PATH: z.string().default(path.resolve(__dirname, '..', '..', 'schema', 'supergraph.graphql')),
    AGENCIES_URL: z.url().default('http://127.0.0.1:4001/graphql'),
    CONTACTS_URL: z.url().default('http://127.0.0.1:4002/graphql'),
    CASES_URL: z.url().default('http://127.0.0.1:4003/graphql'),
    ESCALATIONS_URL: z.url().default('http://127.0.0.1:4004/graphql'),
    CONNECTOR_URL: z.url().default('http://127.0.0.1:4005/graphql'),
    SUBGRAPH_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
    MAX_QUERY_DEPTH: z.coerce.number().int().positive().default(DEFAULT_LIMITS.maxDepth),
    MAX_QUERY_ALIASES: z.coerce.number().int().min(0).default(DEFAULT_LIMITS.maxAliases),
    MAX_QUERY_COST: z.coerce.number().int().positive().default(DEFAULT_LIMITS.maxCost),
    MAX_QUERY_TOKENS: z.coerce.number().int().positive().default(DEFAULT_LIMITS.maxTokens),
    MAX_QUERY_DIRECTIVES: z.coerce.number().int().min(0).default(DEFAULT_LIMITS.maxDirectives),
    INTROSPECTION: env.bool(DEFAULT_LIMITS.introspection),
    LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
    KAFKA_BROKERS: env.list(''),
    TOPIC_PREFIX: z.string().default(''),
    /** The live consumer's principal on a broker that requires SASL/SCRAM-SHA-512 (`mash-gateway`). */
    KAFKA_USERNAME: z.string().min(1).optional(),
    KAFKA_PASSWORD: z.string().min(1).optional(),
    /** A PEM file: the broker's CA, which turns TLS on. */
    KAFKA_TLS_CA_FILE: z.string().min(1).optional(),
  })
  .refine((c) => !!c.KAFKA_USERNAME === !!c.KAFKA_PASSWORD, {
    message: 'KAFKA_USERNAME and KAFKA_PASSWORD go together',
    path: ['KAFKA_PASSWORD'],
  })
  .and(jwtConfigSchema);

export function loadGatewayConfig(source: Record<string, string | undefined> = process.env): GatewayConfig {
  const p = loadConfig(schema, source);
  return {
    host: p.HOST,
    port: p.PORT,
    supergraphPath: p.SUPERGRAPH_PATH,
    subgraphTimeoutMs: p.SUBGRAPH_TIMEOUT_MS,
    logLevel: p.LOG_LEVEL,
    subgraphUrls: {
      agencies: p.AGENCIES_URL,
      contacts: p.CONTACTS_URL,
      cases: p.CASES_URL,
      escalations: p.ESCALATIONS_URL,
      connector: p.CONNECTOR_URL,
    },
    jwt: jwtConfigOf(p),
    ...(p.KAFKA_BROKERS.length > 0 && {
      kafka: {
        kafkaBrokers: p.KAFKA_BROKERS,
        topicPrefix: p.TOPIC_PREFIX,
        ...(p.KAFKA_USERNAME &&
          p.KAFKA_PASSWORD && {
            kafkaAuth: {
              username: p.KAFKA_USERNAME,
              password: p.KAFKA_PASSWORD,
              ...(p.KAFKA_TLS_CA_FILE && { tlsCa: readFileSync(p.KAFKA_TLS_CA_FILE, 'utf8') }),
            },
          }),
      },
    }),
    limits: {
      maxDepth: p.MAX_QUERY_DEPTH,
      maxAliases: p.MAX_QUERY_ALIASES,
      maxCost: p.MAX_QUERY_COST,
      maxTokens: p.MAX_QUERY_TOKENS,
      maxDirectives: p.MAX_QUERY_DIRECTIVES,
      introspection: p.INTROSPECTION,
    },
  };
}
