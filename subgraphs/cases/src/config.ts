import { env, loadDeployableConfig, z, type LogLevel, type ServiceConfig } from '@mash/service-kit';

/** Everything the cases deployable reads from its environment, validated together at start-up. */
export interface CasesConfig {
  readonly service: ServiceConfig;
  readonly logLevel: LogLevel;
  /** SEED_DEMO: seed the demo subjects and cases (idempotent). */
  readonly seedDemo: boolean;
}

export function loadCasesConfig(source: Record<string, string | undefined> = process.env): CasesConfig {
  const { service, logLevel, own } = loadDeployableConfig(
    4003,
    z.object({ SEED_DEMO: env.bool(false) }),
    source,
  );
  return { service, logLevel, seedDemo: own.SEED_DEMO };
}
