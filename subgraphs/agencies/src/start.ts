import {
  createLogger,
  startSubgraph,
  type Logger,
  type RunningSubgraph,
  type ServiceConfig,
} from '@mash/service-kit';
import { AgencyEntity } from './entities/agency.entity';
import { PartnershipEntity } from './entities/partnership.entity';
import { SourceSystemEntity } from './entities/source-system.entity';
import type { AgenciesContext } from './graphql/context';
import { createAgenciesLoaders } from './graphql/loaders';
import { buildAgenciesSchema } from './graphql/schema';
import { seedAgenciesDemo } from './demo/seed';
import { CreateAgencies1763769600000 } from './migrations/1763769600000-CreateAgencies';
import { ReferenceDataRepository } from './repositories/reference-data.repository';

export const AGENCIES_SCHEMA = 'agencies';

export interface AgenciesServiceOptions {
  readonly logger?: Logger;
  /** Seed the demo partnership (idempotent). */
  readonly seedDemo?: boolean;
}

export type RunningAgenciesService = RunningSubgraph;

/** Opens the `agencies` schema (migrating it), optionally seeds the demo, and serves the subgraph over HTTP. */
export function startAgenciesService(
  config: ServiceConfig,
  options: AgenciesServiceOptions = {},
): Promise<RunningAgenciesService> {
  const logger = (options.logger ?? createLogger('agencies')).child({ component: 'agencies' });
  return startSubgraph<AgenciesContext>({
    name: 'agencies',
    config,
    logger,
    database: {
      schema: AGENCIES_SCHEMA,
      entities: [PartnershipEntity, AgencyEntity, SourceSystemEntity],
      migrations: [CreateAgencies1763769600000],
    },
    setUp: async (dataSource) => {
      if (options.seedDemo) {
        await seedAgenciesDemo(dataSource);
        logger.info('demo partnership seeded');
      }
      const services = { referenceData: new ReferenceDataRepository(dataSource), auditTrail: dataSource };
      return {
        schema: await buildAgenciesSchema(),
        context: (base) => ({ ...base, services, loaders: createAgenciesLoaders(services.referenceData) }),
      };
    },
  });
}
