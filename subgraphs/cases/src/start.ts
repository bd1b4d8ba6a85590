import { createKafka, ensureTopics, EventProducer, OutboxRelay, PipelineMetrics } from '@mash/kafka';
import {
  createLogger,
  startSubgraph,
  type Logger,
  type RunningSubgraph,
  type ServiceConfig,
  type StopStack,
} from '@mash/service-kit';
import { topics } from '@mash/schema';
import type { DataSource } from 'typeorm';
import { startStatusChangeConsumer, statusChangesDeadLetterTopic } from './consumers/status-change.consumer';
import { seedCasesDemo } from './demo/seed';
import { casesEntities } from './entities';
import { SCHEMA } from './entities/schema-name';
import type { CasesContext } from './graphql/context';
import { createLoaders } from './graphql/loaders';
import { buildCasesSchema } from './graphql/schema';
import { casesMigrations } from './migrations';
import { CaseReader } from './repositories/case.reader';
import { registerUnmatchedMetrics } from './services/unmatched-metrics';
import { UnmatchedHealthReader } from './repositories/unmatched-health.reader';
import { LinkingService } from './services/linking.service';
import { StatusChangeService } from './services/status-change.service';

export interface CasesServiceOptions {
  readonly logger?: Logger;
  /** Seed the demo subjects and cases (idempotent). */
  readonly seedDemo?: boolean;
}

export type RunningCasesService = RunningSubgraph;

/**
 * Starts the cases deployable: database (schema `cases`, migrations), topics, the outbox relay, the status-change
 * consumer and the GraphQL server. `stop()` stops taking work first: HTTP, consumer, relay, producer, database.
 */
export function startCasesService(
  config: ServiceConfig,
  options: CasesServiceOptions = {},
): Promise<RunningCasesService> {
  const logger = options.logger ?? createLogger('cases');
  return startSubgraph<CasesContext>({
    name: 'cases',
    config,
    logger,
    database: { schema: SCHEMA, entities: casesEntities, migrations: casesMigrations },
    setUp: async (dataSource, started) => {
      if (options.seedDemo) await seedCasesDemo(dataSource);
      const metrics = new PipelineMetrics();
      metrics.registry.setDefaultLabels({ service: 'cases' });
      const enqueued = await startKafkaWork(config, logger, dataSource, started, metrics);
      const caseEventsTopic = topics(config.topicPrefix).caseEvents;
      const reader = new CaseReader(dataSource);
      const linking = new LinkingService({ dataSource, caseEventsTopic, enqueued, logger });
      const unmatchedHealth = new UnmatchedHealthReader(dataSource);
      registerUnmatchedMetrics(metrics.registry, unmatchedHealth);
      return {
        schema: await buildCasesSchema(),
        metrics: metrics.registry,
        context: (base) => ({
          ...base,
          services: { reader, linking, unmatchedHealth },
          loaders: createLoaders(reader),
        }),
      };
    },
  });
}

/** Topics, the producer, the outbox relay and the status-change consumer; returns how to wake the relay. */
async function startKafkaWork(
  config: ServiceConfig,
  logger: Logger,
  dataSource: DataSource,
  started: StopStack,
  metrics: PipelineMetrics,
): Promise<() => void> {
  const names = topics(config.topicPrefix);
  const deadLetterTopic = statusChangesDeadLetterTopic(config.topicPrefix);
  const kafka = createKafka({
    brokers: config.kafkaBrokers,
    auth: config.kafkaAuth,
    clientId: 'mash-cases',
    logger,
  });
  await ensureTopics(kafka, [
    { topic: names.statusChanges },
    { topic: names.caseEvents },
    { topic: deadLetterTopic },
  ]);
  const producer = new EventProducer(kafka, { compression: config.kafkaCompression });
  await producer.connect();
  started.push('producer', () => producer.stop());

  const relay = new OutboxRelay({ dataSource, schema: SCHEMA, producer, logger, metrics });
  relay.start();
  started.push('outbox relay', () => relay.stop());
  const enqueued = () => relay.wake();

  const service = new StatusChangeService({
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
    service,
    logger,
    metrics,
  });
  started.push('status-change consumer', () => consumer.stop());
  return enqueued;
}
