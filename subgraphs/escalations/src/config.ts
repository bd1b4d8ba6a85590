import { env, loadDeployableConfig, z, type LogLevel, type ServiceConfig } from '@mash/service-kit';

/** Everything the escalations deployable reads from its environment, validated together at start-up. */
export interface EscalationsConfig {
  readonly service: ServiceConfig;
  readonly logLevel: LogLevel;
  /** SEED_DEMO: seed the demo data (escalations has none of its own; kept for symmetry with the other subgraphs). */
  readonly seedDemo: boolean;
  /** CONTACTS_URL: the contacts subgraph, whose directory says who takes part in meetings and panels. */
  readonly contactsUrl: string;
}

export function loadEscalationsConfig(
  source: Record<string, string | undefined> = process.env,
): EscalationsConfig {
  const { service, logLevel, own } = loadDeployableConfig(
    4004,
    z.object({
      SEED_DEMO: env.bool(false),
      CONTACTS_URL: z.url().default('http://127.0.0.1:4002/graphql'),
    }),
    source,
  );
  return { service, logLevel, seedDemo: own.SEED_DEMO, contactsUrl: own.CONTACTS_URL };
}
