import { createKafka, ensureTopics, EventProducer, OutboxRelay } from '@mash/connectors';
import {
  createLogger,
  JwtVerifier,
  openDatabase,
  requestContext,
  startGraphQLHttpServer,
  type Logger,
  type RunningService,
  type ServiceConfig,
} from '@mash/platform';
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

type Stop = () => Promise<void>;

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
  // Stopped in reverse order of starting; a failed start stops what had started.
  const started: Stop[] = [];
  const stopAll = async () => {
    for (const stop of started.reverse()) {
      try {
        await stop();
      } catch (err) {
        logger.error({ err }, 'error while stopping');
      }
    }
    started.length = 0;
  };

  try {
    const dataSource = await openDatabase({
      url: config.databaseUrl,
      schema: SCHEMA,
      entities: casesEntities,
      migrations: casesMigrations,
      applicationName: 'mash-cases',
      logger,
    });
    started.push(() => dataSource.destroy());
    if (options.seedDemo) await seedCasesDemo(dataSource);

    const kafka = createKafka({ brokers: config.kafkaBrokers, clientId: 'mash-cases', logger });
    await ensureTopics(kafka, [
      { topic: names.statusChanges },
      { topic: names.caseEvents },
      { topic: deadLetterTopic },
    ]);
    const producer = new EventProducer(kafka);
    await producer.connect();
    started.push(() => producer.stop());

    const relay = new OutboxRelay({ dataSource, schema: SCHEMA, producer, logger });
    relay.start();
    started.push(() => relay.stop());
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
    started.push(() => consumer.stop());

    const reader = new CaseReader(dataSource);
    const linking = new LinkingService({ dataSource, caseEventsTopic: names.caseEvents, enqueued, logger });
    const verifier = new JwtVerifier(config.jwt);
    const server = await startGraphQLHttpServer<CasesContext>({
      name: 'cases',
      host: config.host,
      port: config.port,
      apollo: { schema: await buildCasesSchema() },
      context: async (req) => ({
        ...requestContext(verifier, logger, req),
        services: { reader, linking },
        loaders: createLoaders(reader),
      }),
      ready: async () => {
        await dataSource.query('SELECT 1');
        return true;
      },
      logger,
    });
    started.push(() => server.stop());

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
