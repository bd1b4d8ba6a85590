import { createLogger, loadServiceConfig, onShutdown } from '@mash/service-kit';
import { startEscalationsService } from './service';

const logger = createLogger('escalations');

async function main(): Promise<void> {
  const config = loadServiceConfig(4004);
  const service = await startEscalationsService(config, {
    logger,
    seedDemo: process.env['SEED_DEMO'] === 'true',
  });
  onShutdown(logger, () => [service]);
}

main().catch((err: unknown) => {
  logger.fatal({ err }, 'escalations failed to start');
  process.exit(1);
});
