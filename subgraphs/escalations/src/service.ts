import type { DataSource } from 'typeorm';
import { topics } from '@mash/schema';
import { createKafka, ensureTopics, EventProducer, OutboxRelay, startConsumer } from '@mash/connectors';
import {
  AgencyDirectoryClient,
  createLogger,
  JwtVerifier,
  openDatabase,
  requestContext,
  serviceTokenProvider,
  startGraphQLHttpServer,
  type AgencyDirectory,
  type Logger,
  type RunningService,
  type ServiceConfig,
} from '@mash/platform';
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
  const log = logger.child({ component: 'lifecycle' });
  // What has started, in order; stopped in reverse: HTTP, consumer, scheduler, relay, producer, database.
  const started: { readonly what: string; readonly stop: () => Promise<unknown> }[] = [
    { what: 'database', stop: () => dataSource.destroy() },
    { what: 'producer', stop: () => producer.stop() },
  ];
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      for (const s of [...started].reverse()) {
        try {
          await s.stop();
        } catch (err) {
          log.error({ err }, `error while stopping the ${s.what}`);
        }
      }
    })());

  try {
    await ensureTopics(kafka, [{ topic: names.caseEvents }, { topic: names.escalationEvents }]);
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
    started.push({
      what: 'outbox relay',
      stop: async () => {
        await relay.stop();
        await relay.drainOnce(); // hand over what is committed; anything left goes at the next start
      },
    });
    scheduler.start();
    started.push({ what: 'clock scheduler', stop: () => scheduler.stop() });

    const events = logger.child({ component: 'case-events' });
    const consumer = await startConsumer({
      kafka,
      groupId: `${config.topicPrefix}mash-escalations`,
      topics: [names.caseEvents],
      logger,
      handle: async (message) => {
        await engine.handle(parseCaseEvent(message.value));
      },
      // Case events come from the cases service; one that can never apply is logged for an operator and skipped.
      deadLetter: async (message, error) => {
        events.error(
          { topic: message.topic, partition: message.partition, offset: message.offset, code: error.code },
          `case event skipped: ${error.message}`,
        );
      },
    });
    started.push({ what: 'case-event consumer', stop: () => consumer.stop() });

    const verifier = new JwtVerifier(config.jwt);
    const server = await startGraphQLHttpServer<EscalationsContext>({
      name: 'escalations',
      port: config.port,
      host: config.host,
      apollo: { schema: await buildEscalationsSchema() },
      context: async (req) => ({
        ...requestContext(verifier, logger, req),
        escalations: service,
        loaders: createLoaders(service),
      }),
      ready: async () => {
        await dataSource.query('SELECT 1');
        return true;
      },
      logger,
    });
    started.push({ what: 'HTTP server', stop: () => server.stop() });
    return { name: 'escalations', url: server.url, dataSource, consumerJoined: consumer.joined, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
