import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { Agent, request, type Dispatcher } from 'undici';
import { dedupeRepresentations, expandEntities } from './representations';
import { MashGraphQLError } from '@mash/service-kit';
import type { GatewayContext } from './context';

type Answer = Awaited<ReturnType<RemoteGraphQLDataSource['process']>>;
type Fetcher = NonNullable<ConstructorParameters<typeof RemoteGraphQLDataSource>[0]>['fetcher'];

function isGraphQLResponseBody(body: unknown): boolean {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return false;
  const b = body as Record<string, unknown>;
  return Array.isArray(b['errors']) || 'data' in b;
}

/** What Apollo's data source reads of a fetch response. */
interface SubgraphResponse {
  readonly ok: boolean;
  readonly status: number;
  readonly statusText: string;
  readonly url: string;
  readonly headers: { get(name: string): string | null };
  json(): Promise<unknown>;
  text(): Promise<string>;
}

/** A GraphQL answer, already parsed, as a successful response whatever status the subgraph gave it. */
function responseOf(url: string, body: unknown): SubgraphResponse {
  return {
    ok: true,
    status: 200,
    statusText: 'OK',
    url,
    headers: { get: (name) => (name.toLowerCase() === 'content-type' ? 'application/json' : null) },
    json: async () => body,
    text: async () => JSON.stringify(body),
  };
}

/**
 * Calls subgraphs with undici's `request` over keep-alive connections: Node's global `fetch` is the same client
 * behind WHATWG streams, which cost more than the call itself on large entity answers.
 *
 * A subgraph may answer a GraphQL response with a 4xx/5xx status (a request-level error such as a refused token).
 * Apollo's data source turns any non-2xx answer into an opaque error that carries the subgraph's URL and raw body
 * and loses the codes. Here a GraphQL body is handed on as the GraphQL response it is, so its errors reach the
 * caller with their own codes on the field path that failed; anything else becomes SUBGRAPH_UNAVAILABLE, with
 * nothing of the subgraph's answer in it.
 */
export function codedFetcher(serviceName: string, timeoutMs: number, dispatcher: Dispatcher): Fetcher {
  return (async (
    input: string,
    init: { method?: string; headers?: Record<string, string>; body?: string },
  ) => {
    let text: string;
    try {
      const res = await request(input, {
        method: (init.method ?? 'POST') as Dispatcher.HttpMethod,
        headers: init.headers ?? {},
        ...(init.body !== undefined && { body: init.body }),
        dispatcher,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
      text = await res.body.text();
    } catch {
      throw unavailable(serviceName);
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw unavailable(serviceName);
    }
    if (!isGraphQLResponseBody(body)) throw unavailable(serviceName);
    return responseOf(input, body);
  }) as unknown as Fetcher;
}

function unavailable(serviceName: string): MashGraphQLError {
  return new MashGraphQLError(
    'SUBGRAPH_UNAVAILABLE',
    `A service behind the gateway did not answer (${serviceName}).`,
    {
      serviceName,
    },
  );
}

/**
 * Calls one subgraph, forwarding the caller's own bearer token (each subgraph verifies it again and applies
 * need-to-know) and the request id for tracing.
 */
export class AuthenticatedSubgraphSource extends RemoteGraphQLDataSource<GatewayContext> {
  private readonly agent: Agent;
  private readonly inflight = new Map<string, Promise<Answer>>();

  /**
   * @param shareInflight identical queries in flight at once for the same token share one call. Only for
   *   subgraphs that serve no personal data: where reads are audited, each caller's read must reach the subgraph.
   */
  constructor(
    name: string,
    url: string,
    timeoutMs: number,
    private readonly shareInflight = false,
  ) {
    const agent = new Agent({ keepAliveTimeout: 60_000, connections: 64 });
    super({ url, fetcher: codedFetcher(name, timeoutMs, agent) });
    this.agent = agent;
  }

  /** Closes the keep-alive connections to the subgraph. */
  close(): Promise<void> {
    return this.agent.close();
  }

  /**
   * Sends each distinct entity representation once: a board of 2,000 escalations names the same two agencies 4,000
   * times, and stock Apollo Gateway sends every one of them. The answers are put back in the gateway's order.
   */
  override async process(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<Answer> {
    const variables = options.request.variables;
    const deduped = dedupeRepresentations(variables?.['representations']);
    if (deduped) options.request.variables = { ...variables, representations: deduped.unique };
    const response = await this.shared(options);
    return deduped ? expandEntities(response, deduped.positions) : response;
  }

  /** Hive Gateway and Apollo Router do the same ("request deduplication") for identical concurrent queries. */
  private async shared(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<Answer> {
    const isQuery =
      'incomingRequestContext' in options && options.incomingRequestContext.operation?.operation === 'query';
    if (!this.shareInflight || !isQuery) return super.process(options);
    const key = `${options.context.token ?? ''}\n${options.request.query ?? ''}\n${JSON.stringify(options.request.variables ?? {})}`;
    const pending = this.inflight.get(key);
    if (pending) {
      // Each caller gets its own copy: the gateway merges later fetches into these objects.
      const { data, errors, extensions } = await pending;
      return structuredClone({ data, errors, extensions });
    }
    const call = super.process(options);
    this.inflight.set(key, call);
    try {
      return await call;
    } finally {
      this.inflight.delete(key);
    }
  }

  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): void {
    if (context.token) request.http?.headers.set('authorization', `Bearer ${context.token}`);
    if (context.requestId) request.http?.headers.set('x-request-id', context.requestId);
  }
}
