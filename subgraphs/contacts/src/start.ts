import { topics } from '@mash/schema';
import { createKafka, ensureTopics, EventProducer, OutboxRelay, PipelineMetrics } from '@mash/kafka';
import {
  createLogger,
  startSubgraph,
  type Logger,
  type RunningSubgraph,
  type ServiceConfig,
  type StopStack,
} from '@mash/service-kit';
import type { DataSource } from 'typeorm';
import { startEscalationEventsConsumer } from './consumers/escalation-events.consumer';
import { seedContactsDemo } from './demo/seed';
import { ContactEntity } from './entities/contact.entity';
import type { ContactsContext } from './graphql/context';
import { createContactsLoaders } from './graphql/loaders';
import { buildContactsSchema } from './graphql/schema';
import { migrations } from './migrations';
import { DirectoryRepository } from './repositories/directory.repository';
import { NotificationRepository } from './repositories/notification.repository';
import { CONTACTS_DB_SCHEMA, Notifier } from './services/notify.service';

export const CONTACTS_SCHEMA = CONTACTS_DB_SCHEMA;

export interface ContactsServiceOptions {
  readonly logger?: Logger;
  /** Seed the demo directory (idempotent). */
  readonly seedDemo?: boolean;
}

export type RunningContactsService = RunningSubgraph & {
  /** Resolves once the escalation-event consumer has joined its group. */
  readonly consumerJoined: Promise<void>;
};

/**
 * Starts the contacts deployable: the `contacts` schema (migrated), optionally the demo directory, the notifications
 * (the escalation-event consumer and the outbox relay to the notifications topic) and the subgraph over HTTP.
 */
export async function startContactsService(
  config: ServiceConfig,
  options: ContactsServiceOptions = {},
): Promise<RunningContactsService> {
  const logger = (options.logger ?? createLogger('contacts')).child({ component: 'contacts' });
  let consumerJoined: Promise<void> = Promise.resolve();
  const running = await startSubgraph<ContactsContext>({
    name: 'contacts',
    config,
    logger,
    database: { schema: CONTACTS_SCHEMA, entities: [ContactEntity], migrations },
    setUp: async (dataSource, started) => {
      if (options.seedDemo) {
        await seedContactsDemo(dataSource);
        logger.info('demo directory seeded');
      }
      const metrics = new PipelineMetrics();
      metrics.registry.setDefaultLabels({ service: 'contacts' });
      ({ joined: consumerJoined } = await startNotifications({
        config,
        logger,
        dataSource,
        started,
        metrics,
      }));
      const directory = new DirectoryRepository(dataSource);
      const services = { directory, notifications: new NotificationRepository(dataSource) };
      return {
        schema: await buildContactsSchema(),
        metrics: metrics.registry,
        context: (base) => ({ ...base, services, loaders: createContactsLoaders(directory) }),
      };
    },
  });
  return { ...running, consumerJoined };
}

interface NotificationsWork {
  readonly config: ServiceConfig;
  readonly logger: Logger;
  readonly dataSource: DataSource;
  readonly started: StopStack;
  readonly metrics: PipelineMetrics;
}

/**
 * Topics (escalation events, notifications, the dead letters), the outbox relay to the notifications topic, and
 * the escalation-event consumer that decides who is told. Resolves with the consumer's group join.
 */
async function startNotifications(work: NotificationsWork): Promise<{ joined: Promise<void> }> {
  const { config, logger, dataSource, started, metrics } = work;
  const kafka = createKafka({
    brokers: config.kafkaBrokers,
    ...(config.kafkaAuth && { auth: config.kafkaAuth }),
    clientId: 'mash-contacts',
    logger,
  });
  const names = topics(config.topicPrefix);
  const deadLetterTopic = names.internalDeadLetter('escalation-events');
  await ensureTopics(kafka, [
    { topic: names.escalationEvents },
    { topic: names.notifications },
    { topic: deadLetterTopic },
  ]);
  const producer = new EventProducer(kafka, { compression: config.kafkaCompression });
  await producer.connect();
  started.push('producer', () => producer.stop());

  const relay = new OutboxRelay({ dataSource, schema: CONTACTS_DB_SCHEMA, producer, logger, metrics });
  const notifier = new Notifier({
    dataSource,
    topic: names.notifications,
    logger,
    afterCommit: () => relay.wake(),
  });
  relay.start();
  started.push('outbox relay', async () => {
    await relay.stop();
    await relay.drainOnce(); // hand over what is committed; anything left goes at the next start
  });
  const consumer = await startEscalationEventsConsumer({
    kafka,
    groupId: `${config.topicPrefix}mash-contacts`,
    topic: names.escalationEvents,
    deadLetterTopic,
    producer,
    notifier,
    logger,
    metrics,
  });
  started.push('escalation-event consumer', () => consumer.stop());
  return { joined: consumer.joined };
}
