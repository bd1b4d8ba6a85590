import { env, loadDeployableConfig, z, type LogLevel, type ServiceConfig } from '@mash/service-kit';

/** Everything the escalations deployable reads from its environment, validated together at start-up. */
export interface EscalationsConfig {
  readonly service: ServiceConfig;
  readonly logLevel: LogLevel;
  /** SEED_DEMO: seed the demo data (escalations has none of its own; kept for symmetry with the other subgraphs). */
  readonly seedDemo: boolean;
}

export function loadEscalationsConfig(
  source: Record<string, string | undefined> = process.env,
): EscalationsConfig {
  const { service, logLevel, own } = loadDeployableConfig(
    4004,
    z.object({ SEED_DEMO: env.bool(false) }),
    source,
  );
  return { service, logLevel, seedDemo: own.SEED_DEMO };
}
