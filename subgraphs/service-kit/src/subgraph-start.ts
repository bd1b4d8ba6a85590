import type { GraphQLSchema } from 'graphql';
import type { Registry } from 'prom-client';
import type { DataSource } from 'typeorm';
import { migrateAuditSchema } from './audit/schema';
import type { RequestContext } from './context';
import { openDatabase, type DatabaseOptions } from './db';
import { StopStack } from './lifecycle';
import type { Logger } from './logger';
import type { RunningService, ServiceConfig } from './service-config';
import { serveSubgraph } from './subgraph-server';

/** A running subgraph: its GraphQL URL and its database (tests read it). */
export interface RunningSubgraph extends RunningService {
  readonly url: string;
  readonly dataSource: DataSource;
}

/** What a subgraph serves once its own parts run. */
export interface SubgraphParts<C extends RequestContext> {
  readonly schema: GraphQLSchema;
  /** Adds the subgraph's services and per-request loaders to the verified caller. */
  readonly context: (base: RequestContext) => C;
  /** More metrics served on /metrics (the event pipeline's). */
  readonly metrics?: Registry;
}

export interface StartSubgraphOptions<C extends RequestContext> {
  /** `agencies`, `cases`…; also names the database connection (`mash-<name>`). */
  readonly name: string;
  readonly config: ServiceConfig;
  readonly logger: Logger;
  /** The Postgres schema the subgraph owns, its entities and migrations (run under an advisory lock). */
  readonly database: Pick<DatabaseOptions, 'schema' | 'entities' | 'migrations' | 'poolMinIdle'>;
  /**
   * Starts the subgraph's own parts once its database is open (demo data, Kafka clients, consumers, jobs), pushing
   * how to stop each onto `started`, and returns what to serve.
   */
  readonly setUp: (dataSource: DataSource, started: StopStack) => Promise<SubgraphParts<C>>;
}

/**
 * The start-up every subgraph shares: migrate the shared `audit` schema, open (and migrate) its database, start its own parts, serve it over HTTP.
 * `stop()` stops in reverse order (HTTP first, the database last); a failed start stops what had started.
 */
export async function startSubgraph<C extends RequestContext>(
  options: StartSubgraphOptions<C>,
): Promise<RunningSubgraph> {
  const { name, config, logger } = options;
  const started = new StopStack(logger);
  let stopping: Promise<void> | undefined;
  const stop = () => (stopping ??= started.stopAll().then(() => logger.info(`${name} stopped`)));
  try {
    await migrateAuditSchema(config.databaseUrl, logger);
    const dataSource = await openDatabase({
      url: config.databaseUrl,
      ...options.database,
      applicationName: `mash-${name}`,
      logger,
    });
    started.push('database', () => dataSource.destroy());
    const { schema, context, metrics } = await options.setUp(dataSource, started);
    const server = await serveSubgraph<C>({
      name,
      config,
      logger,
      dataSource,
      schema,
      context,
      ...(metrics && { metrics }),
    });
    started.push('HTTP server', () => server.stop());
    return { name, url: server.url, dataSource, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
