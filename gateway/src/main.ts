import { createLogger, onShutdown } from '@mash/service-kit';
import { loadGatewayConfig } from './config';
import { startGateway } from './server';

async function main(): Promise<void> {
  const config = loadGatewayConfig();
  const logger = createLogger('gateway', config.logLevel);
  // Subscriptions (the live board) when the gateway is given a broker: its live consumer's own principal.
  const gateway = await startGateway(config, { logger, ...(config.kafka && { live: config.kafka }) });
  onShutdown(logger, () => [gateway]);
}

main().catch((err: unknown) => {
  process.stderr.write(`gateway failed to start: ${(err as Error).message}\n`);
  process.exit(1);
});
