import type { GraphQLSchema } from 'graphql';
import type { DataSource } from 'typeorm';
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
}

/**
 * Serves a subgraph: every request's bearer token is verified again here (the gateway forwards the caller's own),
 * and the subgraph is ready when its database answers.
 */
export function serveSubgraph<C extends RequestContext>(
  options: SubgraphServerOptions<C>,
): Promise<RunningServer> {
  const { name, config, logger, dataSource, schema } = options;
  const verifier = new JwtVerifier(config.jwt);
  return startGraphQLHttpServer<C>({
    name,
    host: config.host,
    port: config.port,
    logger,
    apollo: { schema, logger },
    context: async (req) => options.context(await requestContext(verifier, logger, req)),
    ready: async () => {
      await dataSource.query('SELECT 1');
      return true;
    },
  });
}
