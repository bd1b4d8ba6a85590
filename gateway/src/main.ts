import { createLogger, onShutdown } from '@mash/service-kit';
import { loadGatewayConfig } from './config';
import { startGateway } from './server';

async function main(): Promise<void> {
  const logger = createLogger('gateway');
  const gateway = await startGateway(loadGatewayConfig(), { logger });
  onShutdown(logger, () => [gateway]);
}

main().catch((err: unknown) => {
  process.stderr.write(`gateway failed to start: ${(err as Error).message}\n`);
  process.exit(1);
});
