import { createLogger, env, loadConfig, loadServiceConfig, onShutdown, z } from '@mash/service-kit';
import { startCasesService } from './service';

const logger = createLogger('cases');

async function main(): Promise<void> {
  const config = loadServiceConfig(4003);
  const { SEED_DEMO } = loadConfig(z.object({ SEED_DEMO: env.bool(false) }));
  const service = await startCasesService(config, { logger, seedDemo: SEED_DEMO });
  onShutdown(logger, () => [service]);
}

main().catch((err: unknown) => {
  logger.fatal({ err }, 'cases failed to start');
  process.exit(1);
});
