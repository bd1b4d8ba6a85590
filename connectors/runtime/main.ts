import { runDeployable } from '@mash/service-kit';
import { loadConnectorConfig } from './config';
import { startConnector } from './start';

/** Runs the agency connector: `node connectors/dist/runtime/main.js` (CONNECTOR_FAMILIES picks the families). */
runDeployable('connector', loadConnectorConfig, (config, logger) =>
  startConnector(config.service, {
    families: config.families,
    sourceSystems: config.sourceSystems,
    logger,
  }),
);
