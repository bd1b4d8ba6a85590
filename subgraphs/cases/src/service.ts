import { createKafka, ensureTopics, EventProducer, OutboxRelay } from '@mash/kafka';
import {
  createLogger,
  openDatabase,
  serveSubgraph,
  StopStack,
  type Logger,
  type RunningService,
  type ServiceConfig,
} from '@mash/service-kit';
import { topics } from '@mash/schema';
import type { DataSource } from 'typeorm';
import { startStatusChangeConsumer, statusChangesDeadLetterTopic } from './consumer/status-change.consumer';
import type { CasesContext } from './context';
import { casesEntities } from './entities';
import { createLoaders } from './loaders';
import { casesMigrations } from './migrations';
import { buildCasesSchema } from './schema';
import { seedCasesDemo } from './seed';
import { CaseReader } from './services/case.reader';
import { LinkingService } from './services/linking.service';
import { SCHEMA } from './services/schema-name';
import { StatusChangeService } from './services/status-change.service';

export interface CasesServiceOptions {
  readonly logger?: Logger;
  /** Seed the demo subjects and cases (idempotent). */
  readonly seedDemo?: boolean;
}

export type RunningCasesService = RunningService & { readonly url: string; readonly dataSource: DataSource };

/**
 * Starts the cases deployable: database (schema `cases`, migrations), topics, the outbox relay, the status-change
 * consumer and the GraphQL server. `stop()` stops taking work first: HTTP, consumer, relay, producer, database.
 */
export async function startCasesService(
  config: ServiceConfig,
  options: CasesServiceOptions = {},
): Promise<RunningCasesService> {
  const logger = options.logger ?? createLogger('cases');
  const names = topics(config.topicPrefix);
  const deadLetterTopic = statusChangesDeadLetterTopic(config.topicPrefix);
  const started = new StopStack(logger);
  const stopAll = () => started.stopAll();

  try {
    const dataSource = await openDatabase({
      url: config.databaseUrl,
      schema: SCHEMA,
      entities: casesEntities,
      migrations: casesMigrations,
      applicationName: 'mash-cases',
      logger,
    });
    started.push('database', () => dataSource.destroy());
    if (options.seedDemo) await seedCasesDemo(dataSource);

    const kafka = createKafka({ brokers: config.kafkaBrokers, clientId: 'mash-cases', logger });
    await ensureTopics(kafka, [
      { topic: names.statusChanges },
      { topic: names.caseEvents },
      { topic: deadLetterTopic },
    ]);
    const producer = new EventProducer(kafka);
    await producer.connect();
    started.push('producer', () => producer.stop());

    const relay = new OutboxRelay({ dataSource, schema: SCHEMA, producer, logger });
    relay.start();
    started.push('outbox relay', () => relay.stop());
    const enqueued = () => relay.wake();

    const statusChanges = new StatusChangeService({
      dataSource,
      caseEventsTopic: names.caseEvents,
      enqueued,
      logger,
    });
    const consumer = await startStatusChangeConsumer({
      kafka,
      groupId: `${config.topicPrefix}mash-cases`,
      topic: names.statusChanges,
      deadLetterTopic,
      producer,
      service: statusChanges,
      logger,
    });
    started.push('status-change consumer', () => consumer.stop());

    const reader = new CaseReader(dataSource);
    const linking = new LinkingService({ dataSource, caseEventsTopic: names.caseEvents, enqueued, logger });
    const server = await serveSubgraph<CasesContext>({
      name: 'cases',
      config,
      logger,
      dataSource,
      schema: await buildCasesSchema(),
      context: (base) => ({ ...base, services: { reader, linking }, loaders: createLoaders(reader) }),
    });
    started.push('HTTP server', () => server.stop());

    return {
      name: 'cases',
      url: server.url,
      dataSource,
      stop: stopAll,
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
