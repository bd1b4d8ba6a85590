import path from 'node:path';
import {
  env,
  jwtConfigOf,
  jwtConfigSchema,
  loadConfig,
  LOG_LEVELS,
  z,
  type JwtConfig,
  type LogLevel,
} from '@mash/service-kit';

export const SUBGRAPH_NAMES = ['agencies', 'contacts', 'cases', 'escalations'] as const;
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
  /** LOG_LEVEL (default info). */
  readonly logLevel?: LogLevel;
}

const schema = z
  .object({
    HOST: z.string().default('127.0.0.1'),
    PORT: env.port(4000),
    SUPERGRAPH_PATH: z.string().default(path.resolve(__dirname, '..', '..', 'schema', 'supergraph.graphql')),
    AGENCIES_URL: z.url().default('http://127.0.0.1:4001/graphql'),
    CONTACTS_URL: z.url().default('http://127.0.0.1:4002/graphql'),
    CASES_URL: z.url().default('http://127.0.0.1:4003/graphql'),
    ESCALATIONS_URL: z.url().default('http://127.0.0.1:4004/graphql'),
    SUBGRAPH_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
    LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
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
    },
    jwt: jwtConfigOf(p),
  };
}
