import { runDeployable } from '@mash/service-kit';
import { loadAgenciesConfig } from './config';
import { startAgenciesService } from './start';

runDeployable('agencies', loadAgenciesConfig, (config, logger) =>
  startAgenciesService(config.service, { logger, seedDemo: config.seedDemo }),
);
