import { createLogger, loadServiceConfig, onShutdown } from '@mash/service-kit';
import { parseConnectorFamilies } from './config';
import { startConnector } from './start';

/** Runs the agency connector: `node connectors/dist/runtime/main.js` (CONNECTOR_FAMILIES picks the families). */
async function main(): Promise<void> {
  const logger = createLogger('connector');
  try {
    const config = loadServiceConfig(0);
    const families = parseConnectorFamilies(process.env['CONNECTOR_FAMILIES']);
    const running = await startConnector(config, { families, logger });
    onShutdown(logger, () => [running]);
  } catch (err) {
    logger.fatal({ err }, 'connector failed to start');
    process.exit(1);
  }
}

void main();
