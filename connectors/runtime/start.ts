import type { DataSource } from 'typeorm';
import { AGENCY_FAMILIES, topics, type AgencyFamily } from '@mash/schema';
import {
  AgencyDirectoryClient,
  createLogger,
  openDatabase,
  serviceTokenProvider,
  StopStack,
  type AgencyDirectory,
  type Logger,
  type RunningService,
  type ServiceConfig,
} from '@mash/service-kit';
import { createKafka, ensureTopics, EventProducer, startConsumer, type RunningConsumer } from '@mash/kafka';
import { ConnectorService } from './connector';
import { familyDefinition } from './families';
import type { FamilyDefinition } from './family';
import { INGEST_SCHEMA, ingestMigrations } from './migrations';
import { PostgresIngestStore } from './store';
import { EventValidator } from './validation';
import type { SourceSystemTopic } from './config';

export interface ConnectorOptions {
  /** The agency families to consume; each needs a definition (FAMILY_DEFINITIONS). */
  readonly families: readonly AgencyFamily[];
  readonly logger?: Logger;
  /** Default: the agencies subgraph at config.agenciesUrl, with the connector's service token. */
  readonly directory?: AgencyDirectory;
  /**
   * Source systems whose topics are created when missing, before subscribing (CONNECTOR_SOURCE_SYSTEMS). Their
   * principals' ACLs are the operator's (`provisionSourceSystems`); topics of other families are ignored.
   */
  readonly sourceSystems?: readonly SourceSystemTopic[];
}

export interface RunningConnector extends RunningService {
  readonly families: readonly AgencyFamily[];
  readonly groupId: string;
  /** Resolves once the consumer has joined its group. */
  readonly joined: Promise<void>;
  /** The connector's database (schema `ingest`), for `connectorHealth`. */
  readonly dataSource: DataSource;
}

/** The consumer group of a connector for these families: `<prefix>mash-connector-<families joined by ->`. */
export function connectorGroupId(prefix: string, families: readonly AgencyFamily[]): string {
  return `${prefix}mash-connector-${AGENCY_FAMILIES.filter((f) => families.includes(f)).join('-')}`;
}

/**
 * Starts the agency connector: migrates schema `ingest`, ensures the families' dead-letter topics, the given source
 * systems' topics and
 * the status-changes topic, then consumes the agency topics. `stop()` stops consuming (finishing the record in
 * hand), then closes the producer and the database.
 */
export async function startConnector(
  config: ServiceConfig,
  options: ConnectorOptions,
): Promise<RunningConnector> {
  const families = AGENCY_FAMILIES.filter((f) => options.families.includes(f));
  if (families.length === 0) throw new Error('startConnector: no agency families given');
  const definitions: FamilyDefinition[] = families.map((family) => {
    const definition = familyDefinition(family);
    if (!definition) throw new Error(`startConnector: the ${family} family has no published event types`);
    return definition;
  });
  const groupId = connectorGroupId(config.topicPrefix, families);
  // Components add their own `component` binding to this one (kafka, consumer, connector-service).
  const base = (options.logger ?? createLogger('connector')).child({ families });
  const logger = base.child({ component: 'connector' });
  const validator = EventValidator.load();
  const t = topics(config.topicPrefix);

  const started = new StopStack(logger);
  const stopAll = () => started.stopAll();
  try {
    const dataSource = await openDatabase({
      url: config.databaseUrl,
      schema: INGEST_SCHEMA,
      entities: [],
      migrations: ingestMigrations,
      applicationName: groupId,
      logger: base,
    });
    started.push('database', () => dataSource.destroy());

    const kafka = createKafka({
      brokers: config.kafkaBrokers,
      auth: config.kafkaAuth,
      clientId: groupId,
      logger: base,
    });
    await ensureTopics(kafka, [
      ...families.map((f) => ({ topic: t.deadLetter(f) })),
      ...(options.sourceSystems ?? [])
        .filter((s) => families.includes(s.family))
        .map((s) => ({ topic: t.agency(s.family, s.code) })),
      { topic: t.statusChanges },
    ]);
    const producer = new EventProducer(kafka);
    await producer.connect();
    started.push('producer', () => producer.stop());

    const directory =
      options.directory ??
      new AgencyDirectoryClient(config.agenciesUrl, serviceTokenProvider(config.jwt, 'connector'));
    const service = new ConnectorService({
      definitions,
      validator,
      directory,
      store: new PostgresIngestStore(dataSource),
      sender: producer,
      topicPrefix: config.topicPrefix,
      logger: base,
    });
    const consumer: RunningConsumer = await startConsumer({
      kafka,
      groupId,
      topics: service.topics,
      logger: base,
      handle: async (message) => {
        await service.handle(message);
      },
      deadLetter: (message, error) => service.deadLetter(message, error),
    });
    started.push('consumer', () => consumer.stop());
    logger.info({ groupId, topics: service.topics }, 'connector started');

    let stopping: Promise<void> | undefined;
    return {
      name: 'connector',
      families,
      groupId,
      joined: consumer.joined,
      dataSource,
      stop: () => (stopping ??= stopAll().then(() => logger.info('connector stopped'))),
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
