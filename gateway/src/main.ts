import { createLogger, onShutdown } from '@mash/service-kit';
import { loadGatewayConfig } from './config';
import { startGateway } from './server';

async function main(): Promise<void> {
  const config = loadGatewayConfig();
  const logger = createLogger('gateway', config.logLevel);
  const gateway = await startGateway(config, { logger });
  onShutdown(logger, () => [gateway]);
}

main().catch((err: unknown) => {
  process.stderr.write(`gateway failed to start: ${(err as Error).message}\n`);
  process.exit(1);
});
