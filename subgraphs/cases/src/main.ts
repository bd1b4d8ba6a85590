import { runDeployable } from '@mash/service-kit';
import { loadCasesConfig } from './config';
import { startCasesService } from './start';

runDeployable('cases', loadCasesConfig, (config, logger) =>
  startCasesService(config.service, { logger, seedDemo: config.seedDemo }),
);
