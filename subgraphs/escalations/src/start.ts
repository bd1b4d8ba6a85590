import type { Kafka } from 'kafkajs';
import { topics } from '@mash/schema';
import { createKafka, ensureTopics, EventProducer, OutboxRelay, PipelineMetrics } from '@mash/kafka';
import {
  AgencyDirectoryClient,
  createLogger,
  serviceTokenProvider,
  startSubgraph,
  type AgencyDirectory,
  type Logger,
  type RunningSubgraph,
  type ServiceConfig,
  type StopStack,
} from '@mash/service-kit';
import type { DataSource } from 'typeorm';
import { startCaseEventsConsumer } from './consumers/case-events.consumer';
import { seedEscalationsDemo } from './demo/seed';
import { systemClock, type Clock } from './domain/model';
import { entities } from './entities';
import { DB_SCHEMA } from './entities/schema-name';
import type { EscalationsContext } from './graphql/context';
import { createLoaders } from './graphql/loaders';
import { buildEscalationsSchema } from './graphql/schema';
import { ClockScheduler } from './jobs/scheduler';
import { migrations } from './migrations';
import { LearningRepository } from './repositories/learning.repository';
import { EscalationEngine } from './services/engine.service';
import { ContactDirectoryClient, type ContactDirectory } from './services/contact-directory';
import { EscalationActionService } from './services/escalation-actions.service';
import { EscalationService } from './services/escalation.service';

export interface EscalationsServiceOptions {
  readonly logger?: Logger;
  readonly seedDemo?: boolean;
  /** Where partnership policies come from; by default the agencies subgraph, with a service token. */
  readonly directory?: AgencyDirectory;
  /**
   * Time for the engine, the scheduler and mutations; by default the system clock. A programmatic option only, for
   * tests that make a deadline lapse without sleeping (no configuration variable sets it, so `main.ts` never does).
   */
  readonly clock?: Clock;
  /** How often the clock scheduler looks for due timers (default 1000 ms). */
  readonly schedulerIntervalMs?: number;
  /** The contacts subgraph's GraphQL URL (CONTACTS_URL), for the professionals' directory. */
  readonly contactsUrl?: string;
  /** The professionals' directory; by default the contacts subgraph at `contactsUrl`, with a service token. */
  readonly contacts?: ContactDirectory;
}

export type RunningEscalationsService = RunningSubgraph & {
  /** Resolves once the case-event consumer has joined its group. */
  readonly consumerJoined: Promise<void>;
  /** Asks the clock scheduler for a prompt run: a test that moved its clock makes the timers now due fire. */
  wakeScheduler(): void;
};

/**
 * Starts the escalations deployable: database (schema `escalations`, migrations), topics, the case-event
 * consumer (the engine), the clock scheduler, the outbox relay and the GraphQL server.
 */
export async function startEscalationsService(
  config: ServiceConfig,
  options: EscalationsServiceOptions = {},
): Promise<RunningEscalationsService> {
  const logger = options.logger ?? createLogger('escalations');
  let consumerJoined: Promise<void> = Promise.resolve();
  let wakeScheduler = (): void => undefined;
  const running = await startSubgraph<EscalationsContext>({
    name: 'escalations',
    config,
    logger,
    database: { schema: DB_SCHEMA, entities, migrations },
    setUp: async (dataSource, started) => {
      const kafka = createKafka({
        brokers: config.kafkaBrokers,
        auth: config.kafkaAuth,
        clientId: 'mash-escalations',
        logger,
      });
      const producer = new EventProducer(kafka, { compression: config.kafkaCompression });
      started.push('producer', () => producer.stop());
      if (options.seedDemo) await seedEscalationsDemo(dataSource);
      const metrics = new PipelineMetrics();
      metrics.registry.setDefaultLabels({ service: 'escalations' });
      const { service, actions, joined, scheduler } = await startWork({
        metrics,
        config,
        options,
        logger,
        dataSource,
        kafka,
        producer,
        started,
      });
      consumerJoined = joined;
      const learning = new LearningRepository(dataSource);
      wakeScheduler = () => scheduler.wake();
      return {
        schema: await buildEscalationsSchema(),
        metrics: metrics.registry,
        context: (base) => ({
          ...base,
          escalations: service,
          actions,
          loaders: createLoaders(service),
          learning,
        }),
      };
    },
  });
  return { ...running, consumerJoined, wakeScheduler: () => wakeScheduler() };
}

interface WorkOptions {
  readonly config: ServiceConfig;
  readonly options: EscalationsServiceOptions;
  readonly logger: Logger;
  readonly dataSource: DataSource;
  readonly kafka: Kafka;
  readonly producer: EventProducer;
  readonly started: StopStack;
  readonly metrics: PipelineMetrics;
}

/** Topics, then the outbox relay, the clock scheduler and the case-event consumer (the engine). */
async function startWork(work: WorkOptions): Promise<{
  service: EscalationService;
  actions: EscalationActionService;
  joined: Promise<void>;
  scheduler: ClockScheduler;
}> {
  const { config, options, logger, dataSource, kafka, producer, started, metrics } = work;
  const names = topics(config.topicPrefix);
  const deadLetterTopic = names.internalDeadLetter('case-events');
  await ensureTopics(kafka, [
    { topic: names.caseEvents },
    { topic: names.escalationEvents },
    { topic: deadLetterTopic },
  ]);
  await producer.connect();

  const clock = options.clock ?? systemClock;
  const directory =
    options.directory ??
    new AgencyDirectoryClient(config.agenciesUrl, serviceTokenProvider(config.jwt, 'escalations'));
  const topic = names.escalationEvents;
  const relay = new OutboxRelay({ dataSource, schema: DB_SCHEMA, producer, logger, metrics });
  const scheduler = new ClockScheduler({
    dataSource,
    directory,
    clock,
    topic,
    logger,
    intervalMs: options.schedulerIntervalMs ?? 1000,
    afterCommit: () => relay.wake(),
  });
  const engine = new EscalationEngine({
    dataSource,
    directory,
    clock,
    topic,
    logger,
    afterCommit: ({ events, timers }) => {
      if (events > 0) relay.wake();
      if (timers > 0) scheduler.wake();
    },
  });
  const service = new EscalationService({ dataSource });
  const contacts =
    options.contacts ??
    new ContactDirectoryClient(
      options.contactsUrl ?? 'http://127.0.0.1:4002/graphql',
      serviceTokenProvider(config.jwt, 'escalations'),
    );
  const actions = new EscalationActionService({
    dataSource,
    clock,
    directory,
    contacts,
    topic,
    afterCommit: () => {
      relay.wake();
      scheduler.wake();
    },
  });

  relay.start();
  started.push('outbox relay', async () => {
    await relay.stop();
    await relay.drainOnce(); // hand over what is committed; anything left goes at the next start
  });
  scheduler.start();
  started.push('clock scheduler', () => scheduler.stop());
  const groupId = `${config.topicPrefix}mash-escalations`;
  const consumer = await startCaseEventsConsumer({
    kafka,
    groupId,
    topic: names.caseEvents,
    deadLetterTopic,
    producer,
    engine,
    logger,
    metrics,
  });
  started.push('case-event consumer', () => consumer.stop());
  return { service, actions, joined: consumer.joined, scheduler };
}
