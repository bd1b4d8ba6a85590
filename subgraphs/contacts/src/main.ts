import { createLogger, env, loadConfig, loadServiceConfig, onShutdown, z } from '@mash/service-kit';
import { startContactsService } from './service';

const logger = createLogger('contacts');

async function main(): Promise<void> {
  const config = loadServiceConfig(4002);
  const { SEED_DEMO } = loadConfig(z.object({ SEED_DEMO: env.bool(false) }));
  const service = await startContactsService(config, { logger, seedDemo: SEED_DEMO });
  onShutdown(logger, () => [service]);
}

main().catch((err: unknown) => {
  logger.fatal({ err }, 'contacts failed to start');
  process.exit(1);
});
