import { AGENCY_FAMILIES, topics, type AgencyFamily } from '@mash/schema';
import {
  AgencyDirectoryClient,
  createLogger,
  serviceTokenProvider,
  startSubgraph,
  type AgencyDirectory,
  type Logger,
  type RunningSubgraph,
  type ServiceConfig,
} from '@mash/service-kit';
import {
  createKafka,
  ensureTopics,
  EventProducer,
  startConsumer,
  PipelineMetrics,
  type RunningConsumer,
} from '@mash/kafka';
import type { SourceSystemTopic } from './config';
import { ConnectorService } from './connector';
import { familyDefinition } from './families';
import type { FamilyDefinition } from './family';
import type { ConnectorContext } from './graphql/context';
import { buildConnectorSchema } from './graphql/schema';
import { registerConnectorHealthMetrics } from './health-metrics';
import { ConsumerLagReader } from './lag';
import { INGEST_SCHEMA, ingestMigrations } from './migrations';
import { connectorGroupId } from './naming';
import { SourceHealthRepository } from './source-health';
import { PostgresIngestStore } from './store';
import { EventValidator } from './validation';

/** The most records of one partition the connector stores and publishes at once. */
export const CONNECTOR_MAX_BATCH = 2000;
/** Partitions the connector handles at once (one partition's records always in order). */
export const CONNECTOR_PARTITIONS_CONCURRENTLY = 12;
/**
 * Runs of different partitions the connector applies at once. The service checks one run at a time
 * (`ConnectorService.handleBatch`), so a run is validated and mapped while the two before it are stored and sent; with
 * two, both often waited on Postgres and the broker together (`bench:ingest`, 2026-12-03). Its runs share no row
 * they write (raw events are each their own; counts are kept per partition).
 */
export const CONNECTOR_RUNS_AT_ONCE = 3;
/** What a fetch of the connector waits to gather (256 KiB, a few hundred events) … */
export const CONNECTOR_FETCH_MIN_BYTES = 256 * 1024;
/** … for at most this long. */
export const CONNECTOR_FETCH_MAX_WAIT_MS = 250;

export interface ConnectorOptions {
  /** The agency families to consume; each needs a definition (FAMILY_DEFINITIONS). */
  readonly families: readonly AgencyFamily[];
  readonly logger?: Logger;
  /** Default: the agencies subgraph at config.agenciesUrl, with the connector's service token. */
  readonly directory?: AgencyDirectory;
  /** Where the connector's consumer reports lag, batch sizes, dead-letters and retries (default: its own). */
  readonly metrics?: PipelineMetrics;
  /**
   * Source systems whose topics are created when missing, before subscribing (CONNECTOR_SOURCE_SYSTEMS). Their
   * principals' ACLs are the operator's (`provisionSourceSystems`); topics of other families are ignored.
   */
  readonly sourceSystems?: readonly SourceSystemTopic[];
}

export interface RunningConnector extends RunningSubgraph {
  readonly families: readonly AgencyFamily[];
  readonly groupId: string;
  /** Resolves once the consumer has joined its group. */
  readonly joined: Promise<void>;
  /** Where it serves /health, /ready and /metrics (Prometheus: lag, batch sizes, records, dead-letters, retries). */
  readonly metricsUrl: string;
}

/**
 * Starts the agency connector: migrates schema `ingest`, ensures the families' dead-letter topics, the given source
 * systems' topics and the status-changes topic, consumes the agency topics, and serves the connector subgraph
 * (`SourceSystem.health`) with /health, /ready and /metrics on `config.port`. `stop()` stops serving, then consuming
 * (finishing the record in hand), then closes the producer and the database.
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
  const metrics = options.metrics ?? new PipelineMetrics();
  if (!options.metrics) metrics.registry.setDefaultLabels({ service: 'connector' });
  let joined: Promise<void> = Promise.resolve();

  const subgraph = await startSubgraph<ConnectorContext>({
    name: 'connector',
    config,
    logger: base,
    // A session kept for each run applied at once: a run that opened one after a quiet spell waited 60-90 ms more.
    database: {
      schema: INGEST_SCHEMA,
      entities: [],
      migrations: ingestMigrations,
      poolMinIdle: CONNECTOR_RUNS_AT_ONCE,
    },
    setUp: async (dataSource, started) => {
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
      // The partitions' runs are handled at once: their sends go out together, one request per round trip.
      const producer = new EventProducer(kafka, { coalesce: true, compression: config.kafkaCompression });
      await producer.connect();
      started.push('producer', () => producer.stop());
      const lag = new ConsumerLagReader(kafka, config.topicPrefix);
      started.push('lag reader', () => lag.stop());

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
        onDeadLettered: (codes: readonly string[]) => {
          for (const code of codes) metrics.deadLettered.inc({ group: groupId, code });
        },
      });
      const health = new SourceHealthRepository(dataSource);
      registerConnectorHealthMetrics(metrics.registry, { health, lag, families, logger });
      const consumer: RunningConsumer = await startConsumer({
        kafka,
        groupId,
        topics: service.topics,
        logger: base,
        // A batch is validated, stored with one insert and published with one send; a record Postgres refuses is
        // isolated by the consumer and dead-lettered like any other rejection.
        handleBatch: async (messages) => {
          await service.handleBatch(messages);
        },
        // A whole fetched batch of a partition (up to 1 MB) in one run: one insert, one send, one commit.
        maxBatchSize: CONNECTOR_MAX_BATCH,
        // While agencies publish steadily, a fetch waits for a few hundred records (at most 250 ms) instead of
        // answering with each one or two: a lone event is stored and published within a quarter of a second.
        minBytes: CONNECTOR_FETCH_MIN_BYTES,
        // kafkajs fetches again only once every batch of a fetch is handled: the partitions of a fetch (two source
        // systems' topics of 6 partitions here) are handled in one wave, as combined runs of up to 2,000 records,
        // two at a time.
        partitionsConsumedConcurrently: CONNECTOR_PARTITIONS_CONCURRENTLY,
        combinedRunsAtOnce: CONNECTOR_RUNS_AT_ONCE,
        maxWaitTimeMs: CONNECTOR_FETCH_MAX_WAIT_MS,
        metrics,
        deadLetter: (message, error) => service.deadLetter(message, error),
      });
      started.push('consumer', () => consumer.stop());
      joined = consumer.joined;
      logger.info({ groupId, topics: service.topics }, 'connector consuming');
      return {
        schema: await buildConnectorSchema(),
        metrics: metrics.registry,
        context: (request) => ({ ...request, services: { health, lag, directory } }),
      };
    },
  });
  const metricsUrl = new URL(subgraph.url).origin;
  logger.info({ groupId, url: subgraph.url }, 'connector started');
  return { ...subgraph, families, groupId, joined, metricsUrl };
}
