import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { dedupeRepresentations, expandEntities } from './representations';
import { MashGraphQLError } from '@mash/service-kit';
import type { GatewayContext } from './context';

type Fetcher = NonNullable<ConstructorParameters<typeof RemoteGraphQLDataSource>[0]>['fetcher'];

function isGraphQLResponseBody(body: unknown): boolean {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return false;
  const b = body as Record<string, unknown>;
  return Array.isArray(b['errors']) || 'data' in b;
}

/**
 * A subgraph may answer a GraphQL response with a 4xx/5xx status (a request-level error such as a refused token).
 * Apollo's data source turns any non-2xx answer into an opaque error that carries the subgraph's URL and raw body
 * and loses the codes. Here a GraphQL body is handed on as the GraphQL response it is, so its errors reach the
 * caller with their own codes on the field path that failed; anything else becomes SUBGRAPH_UNAVAILABLE, with
 * nothing of the subgraph's answer in it.
 */
export function codedFetcher(serviceName: string, timeoutMs: number): Fetcher {
  return (async (input: string, init: RequestInit) => {
    let res: Response;
    try {
      res = await fetch(input, { ...init, signal: AbortSignal.timeout(timeoutMs) });
    } catch {
      throw unavailable(serviceName);
    }
    if (res.ok) return res;
    const text = await res.text().catch(() => '');
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    if (!isGraphQLResponseBody(body)) throw unavailable(serviceName);
    return new Response(text, { status: 200, headers: { 'content-type': 'application/json' } });
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
  constructor(name: string, url: string, timeoutMs: number) {
    super({ url, fetcher: codedFetcher(name, timeoutMs) });
  }

  /**
   * Sends each distinct entity representation once: a board of 2,000 escalations names the same two agencies 4,000
   * times, and stock Apollo Gateway sends every one of them. The answers are put back in the gateway's order.
   */
  override async process(options: GraphQLDataSourceProcessOptions<GatewayContext>) {
    const variables = options.request.variables;
    const deduped = dedupeRepresentations(variables?.['representations']);
    if (!deduped) return super.process(options);
    options.request.variables = { ...variables, representations: deduped.unique };
    const response = await super.process(options);
    return expandEntities(response, deduped.positions);
  }

  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): void {
    if (context.token) request.http?.headers.set('authorization', `Bearer ${context.token}`);
    if (context.requestId) request.http?.headers.set('x-request-id', context.requestId);
  }
}
