import { env, loadDeployableConfig, z, type LogLevel, type ServiceConfig } from '@mash/service-kit';

/** Everything the contacts deployable reads from its environment, validated together at start-up. */
export interface ContactsConfig {
  readonly service: ServiceConfig;
  readonly logLevel: LogLevel;
  /** SEED_DEMO: seed the demo directory (idempotent). */
  readonly seedDemo: boolean;
}

export function loadContactsConfig(source: Record<string, string | undefined> = process.env): ContactsConfig {
  const { service, logLevel, own } = loadDeployableConfig(
    4002,
    z.object({ SEED_DEMO: env.bool(false) }),
    source,
  );
  return { service, logLevel, seedDemo: own.SEED_DEMO };
}
