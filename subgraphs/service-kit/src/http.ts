import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer, type ApolloServerOptions, type BaseContext } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import type { GraphQLFormattedError } from 'graphql';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { ErrorCodes } from '@mash/schema';
import type { Logger } from './logger';

export interface GraphQLHttpServerOptions<C extends BaseContext> {
  readonly name: string;
  readonly port: number;
  readonly host?: string;
  /** Either `{ schema }` (a subgraph) or `{ gateway }` (the gateway). */
  readonly apollo: ApolloServerOptions<C>;
  readonly context: (req: express.Request) => Promise<C>;
  /** Readiness: true when the dependencies this server needs answer. */
  readonly ready: () => Promise<boolean>;
  readonly logger: Logger;
  /** Replaces the default error formatting (the gateway maps subgraph outages). */
  readonly formatError?: (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;
  /** Extra routes (the board page, later). */
  readonly routes?: (app: express.Express) => void;
}

export interface RunningServer {
  readonly url: string;
  readonly port: number;
  readonly metrics: Registry;
  stop(): Promise<void>;
}

/** Apollo Server's own codes that are not in the registry but describe the request, not a fault. */
const APOLLO_REQUEST_CODES = new Set([
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
  'BAD_REQUEST',
]);

/**
 * Formats errors so that every one carries a code: registry codes and Apollo's request codes pass through;
 * anything unexpected is logged in full and answered as INTERNAL without internals.
 */
export function formatErrorFor(logger: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const code = formatted.extensions?.['code'];
    if (typeof code === 'string' && (code in ErrorCodes || APOLLO_REQUEST_CODES.has(code))) return formatted;
    logger.error({ err: error, path: formatted.path }, 'unexpected error in resolver');
    return {
      message: 'An unexpected fault; it has been logged.',
      ...(formatted.path && { path: formatted.path }),
      ...(formatted.locations && { locations: formatted.locations }),
      extensions: { code: 'INTERNAL', retriable: true },
    };
  };
}

/** Serves GraphQL at /graphql with /health (liveness), /ready (dependencies answer) and /metrics. */
export async function startGraphQLHttpServer<C extends BaseContext>(
  options: GraphQLHttpServerOptions<C>,
): Promise<RunningServer> {
  const app = express();
  app.disable('x-powered-by');
  const httpServer = http.createServer(app);
  const metrics = new Registry();
  metrics.setDefaultLabels({ service: options.name });
  collectDefaultMetrics({ register: metrics });

  const server = new ApolloServer<C>({
    ...options.apollo,
    formatError: options.formatError ?? formatErrorFor(options.logger),
    includeStacktraceInErrorResponses: false,
    // onShutdown owns SIGTERM/SIGINT. Apollo's own handlers would stop the server and then re-raise the signal,
    // killing the process before the database and consumers are closed.
    stopOnTerminationSignals: false,
    plugins: [
      ...(options.apollo.plugins ?? []),
      ApolloServerPluginDrainHttpServer({ httpServer }),
      ...(options.apollo.gateway ? [] : [ApolloServerPluginInlineTraceDisabled()]),
    ],
  } as ApolloServerOptions<C>);
  await server.start();

  app.get('/health', (_req, res) => {
    res.json({ status: 'ok', service: options.name });
  });
  app.get('/ready', async (_req, res) => {
    const ok = await options.ready().catch(() => false);
    res.status(ok ? 200 : 503).json({ status: ok ? 'ready' : 'not-ready', service: options.name });
  });
  app.get('/metrics', async (_req, res) => {
    res.type(metrics.contentType).send(await metrics.metrics());
  });
  options.routes?.(app);
  app.use(
    '/graphql',
    express.json({ limit: '1mb' }),
    expressMiddleware(server, { context: async ({ req }) => options.context(req) }),
  );

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(options.port, options.host ?? '127.0.0.1', () => resolve());
  });
  const port = (httpServer.address() as AddressInfo).port;
  const url = `http://${options.host ?? '127.0.0.1'}:${port}/graphql`;
  options.logger.info({ url }, `${options.name} listening`);
  return {
    url,
    port,
    metrics,
    async stop() {
      await server.stop();
      httpServer.closeAllConnections();
    },
  };
}
