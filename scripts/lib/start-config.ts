import {
  DEMO_JWT_SECRET,
  env,
  loadConfig,
  LOG_LEVELS,
  z,
  type JwtConfig,
  type KafkaAuth,
  type LogLevel,
} from '@mash/service-kit';

/**
 * The HS256 secret `npm start` signs and verifies with when JWT_SECRET is not set: for this machine only. The one
 * place the public demo secret is allowed: deployables started on their own refuse it.
 */
export const DEV_JWT_SECRET = DEMO_JWT_SECRET;

/** What `npm start` is started with. Built from the environment by `loadStartConfig`. */
export interface StartConfig {
  /** DATABASE_URL; undefined: run the embedded PostgreSQL. */
  readonly databaseUrl: string | undefined;
  /** KAFKA_BROKERS; empty: start a broker. */
  readonly kafkaBrokers: readonly string[];
  /** KAFKA_USERNAME/KAFKA_PASSWORD: the platform principal on a given broker that needs one. */
  readonly kafkaAuth: KafkaAuth | undefined;
  readonly topicPrefix: string;
  /** HS256 with JWT_SECRET (else the development secret), JWT_ISSUER and JWT_AUDIENCE. */
  readonly jwt: JwtConfig;
  /** LOG_LEVEL, `warn` unless set. */
  readonly logLevel: LogLevel;
}

const schema = z.object({
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\/\S+$/, 'must be a postgres:// URL (unset: the embedded PostgreSQL)')
    .optional(),
  KAFKA_BROKERS: env.list('').refine((brokers) => brokers.every((b) => /^[^\s:]+:\d{1,5}$/.test(b)), {
    message: 'must be comma-separated host:port pairs (unset: start a broker)',
  }),
  TOPIC_PREFIX: z.string().default(''),
  KAFKA_USERNAME: z.string().optional(),
  KAFKA_PASSWORD: z.string().optional(),
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters').default(DEV_JWT_SECRET),
  JWT_ISSUER: z.string().default('mash-graph'),
  JWT_AUDIENCE: z.string().default('mash-graph'),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('warn'),
});

/**
 * Reads the start command's configuration, naming every bad variable at once. A variable set to the empty string
 * (as `.env.example` leaves them) counts as unset.
 */
export function loadStartConfig(source: Record<string, string | undefined> = process.env): StartConfig {
  const set = Object.fromEntries(
    Object.keys(schema.shape).flatMap((name) => (source[name] ? [[name, source[name]]] : [])),
  );
  const p = loadConfig(schema, set);
  return {
    databaseUrl: p.DATABASE_URL,
    kafkaBrokers: p.KAFKA_BROKERS,
    kafkaAuth: p.KAFKA_USERNAME
      ? { username: p.KAFKA_USERNAME, password: p.KAFKA_PASSWORD ?? '' }
      : undefined,
    topicPrefix: p.TOPIC_PREFIX,
    jwt: {
      JWT_ALGORITHM: 'HS256',
      JWT_SECRET: p.JWT_SECRET,
      JWT_PUBLIC_KEY: undefined,
      JWT_ISSUER: p.JWT_ISSUER,
      JWT_AUDIENCE: p.JWT_AUDIENCE,
      SERVICE_TOKEN: undefined,
    },
    logLevel: p.LOG_LEVEL,
  };
}
