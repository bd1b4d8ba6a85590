import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { collectDefaultMetrics } from 'prom-client';
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
import {
  createKafka,
  ensureTopics,
  EventProducer,
  startConsumer,
  PipelineMetrics,
  type RunningConsumer,
} from '@mash/kafka';
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
  /** Where the connector's consumer reports lag, batch sizes, dead-letters and retries (default: its own). */
  readonly metrics?: PipelineMetrics;
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
  /** Where it serves /health and /metrics (Prometheus: lag, batch sizes, records, dead-letters, retries). */
  readonly metricsUrl: string;
}

/** The connector's own small HTTP server: /health (liveness) and /metrics. */
async function serveMetrics(config: ServiceConfig, metrics: PipelineMetrics): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    void (async () => {
      if (req.method === 'GET' && req.url === '/metrics') {
        const text = await metrics.registry.metrics();
        res.writeHead(200, { 'content-type': metrics.registry.contentType });
        res.end(text);
      } else if (req.method === 'GET' && req.url === '/health') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ status: 'ok', service: 'connector' }));
      } else {
        res.writeHead(404).end();
      }
    })().catch(() => res.writeHead(500).end());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, resolve);
  });
  return server;
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

    const metrics = options.metrics ?? new PipelineMetrics();
    if (!options.metrics) {
      metrics.registry.setDefaultLabels({ service: 'connector' });
      collectDefaultMetrics({ register: metrics.registry });
    }
    const server = await serveMetrics(config, metrics);
    started.push('HTTP server', () => new Promise<void>((resolve) => server.close(() => resolve())));
    const { port } = server.address() as AddressInfo;
    const metricsUrl = `http://${config.host}:${port}`;

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
      onDeadLettered: (codes: readonly string[]) => {
        for (const code of codes) metrics.deadLettered.inc({ group: groupId, code });
      },
    });
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
      metrics,
      deadLetter: (message, error) => service.deadLetter(message, error),
    });
    started.push('consumer', () => consumer.stop());
    logger.info({ groupId, topics: service.topics, metricsUrl }, 'connector started');

    let stopping: Promise<void> | undefined;
    return {
      name: 'connector',
      families,
      groupId,
      joined: consumer.joined,
      dataSource,
      metricsUrl,
      stop: () => (stopping ??= stopAll().then(() => logger.info('connector stopped'))),
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
