import type { DataSource } from 'typeorm';
import { topics } from '@mash/schema';
import {
  createKafka,
  ensureTopics,
  EventProducer,
  OutboxRelay,
  sendToDeadLetter,
  startConsumer,
} from '@mash/kafka';
import {
  AgencyDirectoryClient,
  createLogger,
  openDatabase,
  serviceTokenProvider,
  serveSubgraph,
  StopStack,
  type AgencyDirectory,
  type Logger,
  type RunningService,
  type ServiceConfig,
} from '@mash/service-kit';
import { parseCaseEvent } from './case-event';
import { createLoaders, type EscalationsContext } from './context';
import { seedEscalationsDemo } from './demo';
import { systemClock, type Clock } from './domain/model';
import { EscalationEngine } from './engine.service';
import { entities } from './entities';
import { EscalationService } from './escalation.service';
import { migrations } from './migrations';
import { ClockScheduler } from './scheduler.service';
import { buildEscalationsSchema } from './schema';
import { DB_SCHEMA } from './schema-name';

export interface EscalationsServiceOptions {
  readonly logger?: Logger;
  readonly seedDemo?: boolean;
  /** Where partnership policies come from; by default the agencies subgraph, with a service token. */
  readonly directory?: AgencyDirectory;
  /** Time for the engine, the scheduler and mutations; tests move it. */
  readonly clock?: Clock;
  /** How often the clock scheduler looks for due timers (default 1000 ms). */
  readonly schedulerIntervalMs?: number;
}

export type RunningEscalationsService = RunningService & {
  readonly url: string;
  readonly dataSource: DataSource;
  /** Resolves once the case-event consumer has joined its group. */
  readonly consumerJoined: Promise<void>;
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
  const clock = options.clock ?? systemClock;
  const names = topics(config.topicPrefix);
  const directory =
    options.directory ??
    new AgencyDirectoryClient(config.agenciesUrl, serviceTokenProvider(config.jwt, 'escalations'));

  const dataSource = await openDatabase({
    url: config.databaseUrl,
    schema: DB_SCHEMA,
    entities,
    migrations,
    applicationName: 'mash-escalations',
    logger,
  });
  const kafka = createKafka({ brokers: config.kafkaBrokers, clientId: 'mash-escalations', logger });
  const producer = new EventProducer(kafka);
  // Stopped in reverse: HTTP, consumer, scheduler, relay, producer, database.
  const started = new StopStack(logger);
  started.push('database', () => dataSource.destroy());
  started.push('producer', () => producer.stop());
  let stopping: Promise<void> | undefined;
  const stop = () => (stopping ??= started.stopAll());

  try {
    const deadLetterTopic = names.internalDeadLetter('case-events');
    await ensureTopics(kafka, [
      { topic: names.caseEvents },
      { topic: names.escalationEvents },
      { topic: deadLetterTopic },
    ]);
    await producer.connect();
    if (options.seedDemo) await seedEscalationsDemo(dataSource);

    const relay = new OutboxRelay({ dataSource, schema: DB_SCHEMA, producer, logger });
    const scheduler = new ClockScheduler({
      dataSource,
      directory,
      clock,
      topic: names.escalationEvents,
      logger,
      intervalMs: options.schedulerIntervalMs ?? 1000,
      afterCommit: () => relay.wake(),
    });
    const engine = new EscalationEngine({
      dataSource,
      directory,
      clock,
      topic: names.escalationEvents,
      logger,
      afterCommit: ({ events, timers }) => {
        if (events > 0) relay.wake();
        if (timers > 0) scheduler.wake();
      },
    });
    const service = new EscalationService({
      dataSource,
      clock,
      topic: names.escalationEvents,
      afterCommit: () => relay.wake(),
    });

    relay.start();
    started.push('outbox relay', async () => {
      await relay.stop();
      await relay.drainOnce(); // hand over what is committed; anything left goes at the next start
    });
    scheduler.start();
    started.push('clock scheduler', () => scheduler.stop());

    const events = logger.child({ component: 'case-events' });
    const consumer = await startConsumer({
      kafka,
      groupId: `${config.topicPrefix}mash-escalations`,
      topics: [names.caseEvents],
      logger,
      handle: async (message) => {
        await engine.handle(parseCaseEvent(message.value));
      },
      // A case event that can never apply is kept, with its reason, for an operator; the partition moves on.
      deadLetter: async (message, error) => {
        events.error(
          { topic: message.topic, partition: message.partition, offset: message.offset, code: error.code },
          `case event dead-lettered: ${error.message}`,
        );
        await sendToDeadLetter(producer, deadLetterTopic, message, error.code, error.message);
      },
    });
    started.push('case-event consumer', () => consumer.stop());

    const server = await serveSubgraph<EscalationsContext>({
      name: 'escalations',
      config,
      logger,
      dataSource,
      schema: await buildEscalationsSchema(),
      context: (base) => ({ ...base, escalations: service, loaders: createLoaders(service) }),
    });
    started.push('HTTP server', () => server.stop());
    return { name: 'escalations', url: server.url, dataSource, consumerJoined: consumer.joined, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
