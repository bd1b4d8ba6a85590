import { runDeployable } from '@mash/service-kit';
import { loadContactsConfig } from './config';
import { startContactsService } from './start';

runDeployable('contacts', loadContactsConfig, (config, logger) =>
  startContactsService(config.service, { logger, seedDemo: config.seedDemo }),
);
