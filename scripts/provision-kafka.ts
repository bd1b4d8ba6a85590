import { ConfigError, createLogger } from '@mash/service-kit';
import { loadProvisionConfig, provisionKafka } from './lib/kafka-provisioning';

/**
 * `node scripts/dist/provision-kafka.js`: provisions a broker for the platform as its admin (topics, each platform
 * service's ACLs, each agency source system's topic and ACLs); see `provisionKafka`. docker-compose's `kafka-init`
 * service runs it before any service starts.
 */
async function main(): Promise<void> {
  const config = loadProvisionConfig();
  await provisionKafka(config, createLogger('provision-kafka'));
}

main().catch((err: unknown) => {
  const why = err instanceof ConfigError ? err.message : ((err as Error).stack ?? String(err));
  process.stderr.write(`provision-kafka failed: ${why}\n`);
  process.exit(1);
});
