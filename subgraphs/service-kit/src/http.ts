import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  ApolloServer,
  HeaderMap,
  type ApolloServerOptions,
  type ApolloServerPlugin,
  type BaseContext,
  type HTTPGraphQLResponse,
} from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
} from '@apollo/server/plugin/disabled';
import type { GraphQLFormattedError } from 'graphql';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { ErrorCodes, isErrorCode, type ErrorCode } from '@mash/schema';
import { readRequestBody, RequestRejection } from './http-body';
import { InflightCalls, NOT_RECORDED } from './inflight';
import type { Logger } from './logger';

export interface GraphQLHttpServerOptions<C extends BaseContext> {
  readonly name: string;
  readonly port: number;
  readonly host?: string;
  /** Either `{ schema }` (a subgraph) or `{ gateway }` (the gateway). */
  readonly apollo: ApolloServerOptions<C>;
  readonly context: (req: http.IncomingMessage) => Promise<C>;
  /** Readiness: true when the dependencies this server needs answer. */
  readonly ready: () => Promise<boolean>;
  readonly logger: Logger;
  /** Replaces the default error formatting (the gateway maps subgraph outages). */
  readonly formatError?: (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;
  /** Largest request body accepted on /graphql, in bytes (default 1 MiB). */
  readonly maxBodyBytes?: number;
  /** Extra routes by exact path (the board page, a stream endpoint); each answers the whole response itself. */
  readonly routes?: Readonly<Record<string, RouteHandler>>;
  /**
   * Attaches more to the same server once Apollo has started (a WebSocket endpoint on the upgrade event); what it
   * returns is stopped before Apollo.
   */
  readonly attach?: (server: {
    readonly httpServer: http.Server;
    readonly apollo: ApolloServer<C>;
  }) => Promise<{ stop(): Promise<void> }>;
  /** More registries served on /metrics with the server's own (the event pipeline's, from @mash/kafka). */
  readonly extraMetrics?: readonly Registry[];
  /** Identical operations in flight at once share one execution (the gateway: `gateway/src/operation-sharing.ts`). */
  readonly shareOperations?: OperationSharing<C>;
}

/**
 * How identical GraphQL requests in flight at once share one execution: the first (the leader) is executed, and
 * each request with the same key that arrives before it has answered (a joiner) is sent the leader's response
 * as it is, once `recordJoiners` has recorded the joiners' reads. If recording fails, the joiners get INTERNAL.
 */
export interface OperationSharing<C> {
  /**
   * The sharing key of a request whose context (the verified caller) is built, or undefined to execute it alone.
   * It must include everything the answer depends on: the caller's token and the whole request.
   */
  key(request: SharableRequest, context: C): string | undefined;
  /** Records that `joiners` read the leader's answer; throws if it cannot. */
  recordJoiners(leader: C, joiners: readonly C[]): Promise<void>;
  /** Told when a request joins an execution in flight (metrics). */
  onJoined?(): void;
  /** Told when a joiner is answered: with the leader's response, or INTERNAL because recording failed. */
  onAnswered?(outcome: 'answered' | 'not-recorded'): void;
}

/** What a sharing key is made of. */
export interface SharableRequest {
  readonly method: string;
  readonly search: string;
  readonly body: unknown;
  readonly headers: http.IncomingHttpHeaders;
}

export type RouteHandler = (req: http.IncomingMessage, res: http.ServerResponse) => void | Promise<void>;

export interface RunningServer {
  readonly url: string;
  readonly port: number;
  readonly metrics: Registry;
  stop(): Promise<void>;
}

/** Extension keys an error may carry to a caller; anything else (a subgraph's response, a stack) stays inside. */
const PUBLIC_EXTENSIONS = new Set(['code', 'retriable', 'field', 'serviceName']);

function publicExtensions(
  code: ErrorCode,
  extensions: Readonly<Record<string, unknown>> | undefined,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(extensions ?? {})) if (PUBLIC_EXTENSIONS.has(k)) out[k] = v;
  out['code'] = code;
  out['retriable'] = ErrorCodes[code].retriable;
  return out;
}

/**
 * Formats errors so that every one carries a registry code and its `retriable` flag, and nothing internal:
 * registry codes pass with their message; anything else is logged (through the error serializer, which drops
 * subgraph bodies and query parameters) and answered as INTERNAL.
 */
export function formatErrorFor(logger: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const code = formatted.extensions?.['code'];
    if (isErrorCode(code)) {
      return {
        // An INTERNAL that a subgraph already formatted says nothing more than the registry does.
        message: code === 'INTERNAL' ? ErrorCodes.INTERNAL.description : formatted.message,
        ...(formatted.locations && { locations: formatted.locations }),
        ...(formatted.path && { path: formatted.path }),
        extensions: publicExtensions(code, formatted.extensions),
      };
    }
    logger.error({ err: error, path: formatted.path }, 'unexpected error in resolver');
    return {
      message: ErrorCodes.INTERNAL.description,
      ...(formatted.path && { path: formatted.path }),
      ...(formatted.locations && { locations: formatted.locations }),
      extensions: { code: 'INTERNAL', retriable: true },
    };
  };
}

/**
 * The HTTP status follows the registry. A field error must not turn a response that carries data into an HTTP
 * error: a gateway (or any client) would otherwise take the whole response for a transport failure, so a response
 * with a data entry (even null, as GraphQL over HTTP asks) is 200. Without one, the status is the registry's for the first error's code (a limit refused while parsing would
 * otherwise be a 500).
 */
const statusFromRegistry: ApolloServerPlugin<BaseContext> = {
  async requestDidStart() {
    return {
      async willSendResponse({ response }) {
        if (response.body.kind !== 'single') return;
        const { data, errors } = response.body.singleResult;
        if (data !== undefined) {
          response.http.status = 200;
          return;
        }
        const code = errors?.[0]?.extensions?.['code'];
        if (isErrorCode(code)) response.http.status = ErrorCodes[code].httpStatus;
      },
    };
  },
};

/** A coded GraphQL error body for a request that never reached GraphQL execution. */
/** A GraphQL response that carries one coded error and no data. */
export function codedErrorResponse(
  code: ErrorCode,
  message: string = ErrorCodes[code].description,
): { errors: GraphQLFormattedError[] } {
  return { errors: [{ message, extensions: { code, retriable: ErrorCodes[code].retriable } }] };
}

export function errorBody(code: ErrorCode, message: string = ErrorCodes[code].description): string {
  return JSON.stringify(codedErrorResponse(code, message));
}

function sendJson(
  res: http.ServerResponse,
  status: number,
  body: string,
  extra: Record<string, string> = {},
) {
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
    ...extra,
  });
  res.end(body);
}

function sendError(res: http.ServerResponse, code: ErrorCode, extra: Record<string, string> = {}): void {
  sendJson(res, ErrorCodes[code].httpStatus, errorBody(code), extra);
}

function headerMapOf(req: http.IncomingMessage): HeaderMap {
  const headers = new HeaderMap();
  for (const [key, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
  }
  return headers;
}

async function writeGraphQLResponse(res: http.ServerResponse, response: HTTPGraphQLResponse): Promise<void> {
  for (const [key, value] of response.headers) res.setHeader(key, value);
  res.statusCode = response.status ?? 200;
  if (response.body.kind === 'complete') {
    res.setHeader('content-length', Buffer.byteLength(response.body.string));
    res.end(response.body.string);
    return;
  }
  for await (const chunk of response.body.asyncIterator) res.write(chunk);
  res.end();
}

const INTERNAL_RESPONSE = (): HTTPGraphQLResponse => ({
  status: ErrorCodes.INTERNAL.httpStatus,
  headers: new HeaderMap([['content-type', 'application/json; charset=utf-8']]),
  body: { kind: 'complete', string: errorBody('INTERNAL') },
});

interface SharedExecution<C> {
  readonly response: HTTPGraphQLResponse;
  readonly context: C;
}

/** One execution per key in flight: see `OperationSharing`. */
async function executeShared<C>(
  sharing: OperationSharing<C>,
  calls: InflightCalls<SharedExecution<C>, C>,
  request: SharableRequest,
  buildContext: () => Promise<C>,
  execute: (context: () => Promise<C>) => Promise<HTTPGraphQLResponse>,
): Promise<HTTPGraphQLResponse> {
  let context: C;
  try {
    context = await buildContext();
  } catch (err) {
    // A refused caller gets its own coded error, as without sharing.
    return execute(() => Promise.reject(err));
  }
  const key = sharing.key(request, context);
  if (key === undefined) return execute(async () => context);
  if (calls.has(key)) sharing.onJoined?.();
  const shared = await calls.run(
    key,
    context,
    async () => ({ response: await execute(async () => context), context }),
    (answer, joiners) => sharing.recordJoiners(answer.context, joiners),
  );
  if (shared.role === 'leader') return shared.answer.response;
  if (shared.answer === NOT_RECORDED) {
    sharing.onAnswered?.('not-recorded');
    return INTERNAL_RESPONSE();
  }
  const { response } = shared.answer;
  // A streamed answer (incremental delivery) cannot be sent twice: this request runs on its own.
  sharing.onAnswered?.('answered');
  if (response.body.kind !== 'complete') return execute(async () => context);
  return {
    status: response.status,
    headers: new HeaderMap([...response.headers]),
    body: { ...response.body },
  };
}

/**
 * Serves GraphQL at /graphql with /health (liveness), /ready (dependencies answer) and /metrics, on Node's own
 * HTTP server: no framework between the socket and Apollo Server, and every request that is not GraphQL over
 * HTTP (not JSON, the wrong content type, too large, a batch, another method) gets a coded JSON error.
 */
export async function startGraphQLHttpServer<C extends BaseContext>(
  options: GraphQLHttpServerOptions<C>,
): Promise<RunningServer> {
  const maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
  const metrics = new Registry();
  metrics.setDefaultLabels({ service: options.name });
  collectDefaultMetrics({ register: metrics });
  const log = options.logger;

  let handler: http.RequestListener = (_req, res) => sendError(res, 'SUBGRAPH_UNAVAILABLE');
  const httpServer = http.createServer((req, res) => handler(req, res));
  httpServer.keepAliveTimeout = 65_000;

  const server = new ApolloServer<C>({
    ...options.apollo,
    formatError: options.formatError ?? formatErrorFor(log),
    includeStacktraceInErrorResponses: false,
    allowBatchedHttpRequests: false,
    // onShutdown owns SIGTERM/SIGINT. Apollo's own handlers would stop the server and then re-raise the signal,
    // killing the process before the database and consumers are closed.
    stopOnTerminationSignals: false,
    plugins: [
      ...(options.apollo.plugins ?? []),
      statusFromRegistry as ApolloServerPlugin<C>,
      ApolloServerPluginDrainHttpServer({ httpServer }),
      // No cache hints are used; the default cache-control plugin would wrap every field of every response.
      ApolloServerPluginCacheControlDisabled(),
      ...(options.apollo.gateway ? [] : [ApolloServerPluginInlineTraceDisabled()]),
    ],
  } as ApolloServerOptions<C>);
  await server.start();
  const sharing = options.shareOperations;
  const operations = new InflightCalls<SharedExecution<C>, C>();

  const graphql = async (req: http.IncomingMessage, res: http.ServerResponse, search: string) => {
    const method = req.method ?? 'GET';
    if (method !== 'GET' && method !== 'POST')
      return sendError(res, 'METHOD_NOT_ALLOWED', { allow: 'GET, POST' });
    let body: unknown;
    if (method === 'POST') {
      try {
        body = await readRequestBody(req, maxBodyBytes);
      } catch (err) {
        if (err instanceof RequestRejection) return sendError(res, err.code);
        throw err;
      }
      if (Array.isArray(body)) return sendError(res, 'BATCHING_NOT_SUPPORTED');
    }
    const execute = (context: () => Promise<C>) =>
      server.executeHTTPGraphQLRequest({
        httpGraphQLRequest: { method, headers: headerMapOf(req), search, body },
        context,
      });
    const response = sharing
      ? await executeShared(
          sharing,
          operations,
          { method, search, body, headers: req.headers },
          () => options.context(req),
          execute,
        )
      : await execute(() => options.context(req));
    await writeGraphQLResponse(res, response);
  };

  const routes: Record<string, RouteHandler> = {
    '/health': (_req, res) => sendJson(res, 200, JSON.stringify({ status: 'ok', service: options.name })),
    '/ready': async (_req, res) => {
      const ok = await options.ready().catch(() => false);
      sendJson(
        res,
        ok ? 200 : 503,
        JSON.stringify({ status: ok ? 'ready' : 'not-ready', service: options.name }),
      );
    },
    '/metrics': async (_req, res) => {
      const extra = options.extraMetrics ?? [];
      // A merged registry keeps the metrics but not their registries' default labels: label them again.
      const merged = extra.length > 0 ? Registry.merge([metrics, ...extra]) : metrics;
      if (merged !== metrics) merged.setDefaultLabels({ service: options.name });
      const text = await merged.metrics();
      res.writeHead(200, { 'content-type': metrics.contentType, 'content-length': Buffer.byteLength(text) });
      res.end(text);
    },
    ...options.routes,
  };

  handler = (req, res) => {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q === -1 ? url : url.slice(0, q);
    const search = q === -1 ? '' : url.slice(q);
    const route = path === '/graphql' ? undefined : routes[path];
    const work =
      path === '/graphql'
        ? graphql(req, res, search)
        : route
          ? route(req, res)
          : sendJson(res, 404, errorBody('NOT_FOUND', `Nothing is served at ${path}.`));
    Promise.resolve(work).catch((err: unknown) => {
      log.error({ err, path }, 'request failed outside GraphQL');
      if (!res.headersSent) sendError(res, 'INTERNAL');
      else res.destroy();
    });
  };

  const attached = options.attach ? await options.attach({ httpServer, apollo: server }) : undefined;

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(options.port, options.host ?? '127.0.0.1', () => resolve());
  });
  const port = (httpServer.address() as AddressInfo).port;
  const url = `http://${options.host ?? '127.0.0.1'}:${port}/graphql`;
  log.info({ url }, `${options.name} listening`);
  return {
    url,
    port,
    metrics,
    async stop() {
      await attached?.stop();
      await server.stop();
      httpServer.closeAllConnections();
    },
  };
}
