import {
  createLogger,
  startSubgraph,
  type Logger,
  type RunningSubgraph,
  type ServiceConfig,
} from '@mash/service-kit';
import { seedContactsDemo } from './demo/seed';
import { ContactEntity } from './entities/contact.entity';
import type { ContactsContext } from './graphql/context';
import { createContactsLoaders } from './graphql/loaders';
import { buildContactsSchema } from './graphql/schema';
import { CreateContacts1763769700000 } from './migrations/1763769700000-CreateContacts';
import { DirectoryRepository } from './repositories/directory.repository';

export const CONTACTS_SCHEMA = 'contacts';

export interface ContactsServiceOptions {
  readonly logger?: Logger;
  /** Seed the demo directory (idempotent). */
  readonly seedDemo?: boolean;
}

export type RunningContactsService = RunningSubgraph;

/** Opens the `contacts` schema (migrating it), optionally seeds the demo, and serves the subgraph over HTTP. */
export function startContactsService(
  config: ServiceConfig,
  options: ContactsServiceOptions = {},
): Promise<RunningContactsService> {
  const logger = (options.logger ?? createLogger('contacts')).child({ component: 'contacts' });
  return startSubgraph<ContactsContext>({
    name: 'contacts',
    config,
    logger,
    database: {
      schema: CONTACTS_SCHEMA,
      entities: [ContactEntity],
      migrations: [CreateContacts1763769700000],
    },
    setUp: async (dataSource) => {
      if (options.seedDemo) {
        await seedContactsDemo(dataSource);
        logger.info('demo directory seeded');
      }
      const services = { directory: new DirectoryRepository(dataSource) };
      return {
        schema: await buildContactsSchema(),
        context: (base) => ({ ...base, services, loaders: createContactsLoaders(services.directory) }),
      };
    },
  });
}
