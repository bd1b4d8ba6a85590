import type { GraphQLSchema } from 'graphql';
import type { Registry } from 'prom-client';
import type { DataSource } from 'typeorm';
import { auditPlugin } from './audit/plugin';
import { SHARED_READS_PATH, sharedReadsRoute } from './audit/shared-reads';
import { JwtVerifier } from './auth';
import { requestContext, type RequestContext } from './context';
import { startGraphQLHttpServer, type RunningServer } from './http';
import type { Logger } from './logger';
import type { ServiceConfig } from './service-config';

export interface SubgraphServerOptions<C extends RequestContext> {
  readonly name: string;
  readonly config: ServiceConfig;
  readonly logger: Logger;
  readonly dataSource: DataSource;
  readonly schema: GraphQLSchema;
  /** Adds the subgraph's services and per-request loaders to the verified caller. */
  readonly context: (base: RequestContext) => C;
  /** More metrics for /metrics (the subgraph's consumers and outbox relay). */
  readonly metrics?: Registry;
}

/**
 * Serves a subgraph: every request's bearer token is verified again here (the gateway forwards the caller's own),
 * each request's audit entries are written in one insert before its response leaves, the gateway's shared calls
 * have their other readers recorded at `POST /audit/shared-reads` (`sharedReadsRoute`), and the subgraph is ready
 * when its database answers.
 */
export function serveSubgraph<C extends RequestContext>(
  options: SubgraphServerOptions<C>,
): Promise<RunningServer> {
  const { name, config, logger, dataSource, schema } = options;
  const verifier = new JwtVerifier(config.jwt);
  const auditEnabled = config.auditEnabled ?? true;
  return startGraphQLHttpServer<C>({
    name,
    host: config.host,
    port: config.port,
    logger,
    apollo: { schema, logger, plugins: [auditPlugin<C>(dataSource, logger, auditEnabled)] },
    context: async (req) => options.context(await requestContext(verifier, logger, req, name)),
    ...(options.metrics && { extraMetrics: [options.metrics] }),
    routes: {
      [SHARED_READS_PATH]: sharedReadsRoute({
        service: name,
        verifier,
        dataSource,
        logger,
        enabled: auditEnabled,
      }),
    },
    ready: async () => {
      await dataSource.query('SELECT 1');
      return true;
    },
  });
}
