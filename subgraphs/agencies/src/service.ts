import {
  createLogger,
  openDatabase,
  serveSubgraph,
  type Logger,
  type RunningService,
  type ServiceConfig,
} from '@mash/service-kit';
import type { DataSource } from 'typeorm';
import { AgencyEntity } from './agency.entity';
import type { AgenciesContext } from './context';
import { seedAgenciesDemo } from './demo';
import { createAgenciesLoaders } from './loaders';
import { CreateAgencies1763769600000 } from './migrations/1763769600000-CreateAgencies';
import { PartnershipEntity } from './partnership.entity';
import { ReferenceDataService } from './reference-data.service';
import { buildAgenciesSchema } from './schema';
import { SourceSystemEntity } from './source-system.entity';

export const AGENCIES_SCHEMA = 'agencies';

export interface AgenciesServiceOptions {
  readonly logger?: Logger;
  /** Seed the demo partnership (idempotent). */
  readonly seedDemo?: boolean;
}

export interface RunningAgenciesService extends RunningService {
  readonly url: string;
  readonly dataSource: DataSource;
}

/** Opens the `agencies` schema (migrating it), optionally seeds the demo, and serves the subgraph over HTTP. */
export async function startAgenciesService(
  config: ServiceConfig,
  options: AgenciesServiceOptions = {},
): Promise<RunningAgenciesService> {
  const logger = (options.logger ?? createLogger('agencies')).child({ component: 'agencies' });
  const dataSource = await openDatabase({
    url: config.databaseUrl,
    schema: AGENCIES_SCHEMA,
    entities: [PartnershipEntity, AgencyEntity, SourceSystemEntity],
    migrations: [CreateAgencies1763769600000],
    applicationName: 'mash-agencies',
    logger,
  });
  try {
    if (options.seedDemo) {
      await seedAgenciesDemo(dataSource);
      logger.info('demo partnership seeded');
    }
    const services = { referenceData: new ReferenceDataService(dataSource) };
    const server = await serveSubgraph<AgenciesContext>({
      name: 'agencies',
      config,
      logger,
      dataSource,
      schema: await buildAgenciesSchema(),
      context: (base) => ({ ...base, services, loaders: createAgenciesLoaders(services.referenceData) }),
    });
    return {
      name: 'agencies',
      url: server.url,
      dataSource,
      async stop() {
        await server.stop();
        await dataSource.destroy();
        logger.info('agencies stopped');
      },
    };
  } catch (err) {
    await dataSource.destroy();
    throw err;
  }
}
