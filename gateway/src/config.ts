import path from 'node:path';
import { env, jwtConfigSchema, loadConfig, z, type JwtConfig } from '@mash/platform';

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
  })
  .and(jwtConfigSchema);

export function loadGatewayConfig(source: Record<string, string | undefined> = process.env): GatewayConfig {
  const c = loadConfig(z.object({}).loose(), source) as Record<string, string | undefined>;
  const parsed = schema.safeParse(c);
  if (!parsed.success) {
    throw new Error(
      `Invalid configuration:\n${parsed.error.issues.map((i) => `  - ${i.path.join('.')}: ${i.message}`).join('\n')}`,
    );
  }
  const p = parsed.data;
  return {
    host: p.HOST,
    port: p.PORT,
    supergraphPath: p.SUPERGRAPH_PATH,
    subgraphTimeoutMs: p.SUBGRAPH_TIMEOUT_MS,
    subgraphUrls: {
      agencies: p.AGENCIES_URL,
      contacts: p.CONTACTS_URL,
      cases: p.CASES_URL,
      escalations: p.ESCALATIONS_URL,
    },
    jwt: {
      JWT_ALGORITHM: p.JWT_ALGORITHM,
      JWT_SECRET: p.JWT_SECRET,
      JWT_PUBLIC_KEY: p.JWT_PUBLIC_KEY,
      JWT_ISSUER: p.JWT_ISSUER,
      JWT_AUDIENCE: p.JWT_AUDIENCE,
      SERVICE_TOKEN: p.SERVICE_TOKEN,
    },
  };
}
