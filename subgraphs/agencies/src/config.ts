import { env, loadDeployableConfig, z, type LogLevel, type ServiceConfig } from '@mash/service-kit';

/** Everything the agencies deployable reads from its environment, validated together at start-up. */
export interface AgenciesConfig {
  readonly service: ServiceConfig;
  readonly logLevel: LogLevel;
  /** SEED_DEMO: seed the demo partnership (idempotent). */
  readonly seedDemo: boolean;
}

export function loadAgenciesConfig(source: Record<string, string | undefined> = process.env): AgenciesConfig {
  const { service, logLevel, own } = loadDeployableConfig(
    4001,
    z.object({ SEED_DEMO: env.bool(false) }),
    source,
  );
  return { service, logLevel, seedDemo: own.SEED_DEMO };
}
