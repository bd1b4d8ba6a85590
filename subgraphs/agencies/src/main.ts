import { createLogger, env, loadConfig, loadServiceConfig, onShutdown, z } from '@mash/service-kit';
import { startAgenciesService } from './service';

const logger = createLogger('agencies');

async function main(): Promise<void> {
  const config = loadServiceConfig(4001);
  const { SEED_DEMO } = loadConfig(z.object({ SEED_DEMO: env.bool(false) }));
  const service = await startAgenciesService(config, { logger, seedDemo: SEED_DEMO });
  onShutdown(logger, () => [service]);
}

main().catch((err: unknown) => {
  logger.fatal({ err }, 'agencies failed to start');
  process.exit(1);
});
