import { runDeployable } from '@mash/service-kit';
import { loadEscalationsConfig } from './config';
import { startEscalationsService } from './start';

runDeployable('escalations', loadEscalationsConfig, (config, logger) =>
  startEscalationsService(config.service, {
    logger,
    seedDemo: config.seedDemo,
    contactsUrl: config.contactsUrl,
  }),
);
