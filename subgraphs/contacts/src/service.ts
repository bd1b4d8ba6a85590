import {
  createLogger,
  openDatabase,
  serveSubgraph,
  type Logger,
  type RunningService,
  type ServiceConfig,
} from '@mash/service-kit';
import type { DataSource } from 'typeorm';
import { ContactEntity } from './contact.entity';
import type { ContactsContext } from './context';
import { seedContactsDemo } from './demo';
import { DirectoryService } from './directory.service';
import { createContactsLoaders } from './loaders';
import { CreateContacts1763769700000 } from './migrations/1763769700000-CreateContacts';
import { buildContactsSchema } from './schema';

export const CONTACTS_SCHEMA = 'contacts';

export interface ContactsServiceOptions {
  readonly logger?: Logger;
  /** Seed the demo directory (idempotent). */
  readonly seedDemo?: boolean;
}

export interface RunningContactsService extends RunningService {
  readonly url: string;
  readonly dataSource: DataSource;
}

/** Opens the `contacts` schema (migrating it), optionally seeds the demo, and serves the subgraph over HTTP. */
export async function startContactsService(
  config: ServiceConfig,
  options: ContactsServiceOptions = {},
): Promise<RunningContactsService> {
  const logger = (options.logger ?? createLogger('contacts')).child({ component: 'contacts' });
  const dataSource = await openDatabase({
    url: config.databaseUrl,
    schema: CONTACTS_SCHEMA,
    entities: [ContactEntity],
    migrations: [CreateContacts1763769700000],
    applicationName: 'mash-contacts',
    logger,
  });
  try {
    if (options.seedDemo) {
      await seedContactsDemo(dataSource);
      logger.info('demo directory seeded');
    }
    const services = { directory: new DirectoryService(dataSource) };
    const server = await serveSubgraph<ContactsContext>({
      name: 'contacts',
      config,
      logger,
      dataSource,
      schema: await buildContactsSchema(),
      context: (base) => ({ ...base, services, loaders: createContactsLoaders(services.directory) }),
    });
    return {
      name: 'contacts',
      url: server.url,
      dataSource,
      async stop() {
        await server.stop();
        await dataSource.destroy();
        logger.info('contacts stopped');
      },
    };
  } catch (err) {
    await dataSource.destroy();
    throw err;
  }
}
