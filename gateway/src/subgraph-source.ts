import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { Agent, request, type Dispatcher } from 'undici';
import { dedupeRepresentations, expandEntities } from './representations';
import { Counter, Gauge, type Registry } from 'prom-client';
import {
  codedErrorResponse,
  InflightCalls,
  MashGraphQLError,
  NOT_RECORDED,
  type Logger,
  type Shared,
} from '@mash/service-kit';
import type { GatewayContext } from './context';
import { recordSharedReads, sharedReadsUrl, type ScopeReader } from './shared-reads';

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

/** How a subgraph's identical in-flight queries are called. */
export type SubgraphSharing =
  /** One call per request. */
  | 'none'
  /** Identical queries in flight at once for the same token share one call (data that is not audited). */
  | 'shared'
  /**
   * Shared too, and every joiner's read is recorded in the subgraph's audit trail before the joiner gets the
   * answer (`POST /audit/shared-reads`, one call per shared call); if that fails, the joiners get INTERNAL.
   */
  | 'audited';

/** What the gateway counts of its subgraph calls (served on its /metrics). */
export interface SubgraphCallMetrics {
  /** Calls sent to a subgraph. */
  readonly calls: Counter<'subgraph'>;
  /** Requests answered from a call another request of the same caller made. */
  readonly sharedAnswers: Counter<'subgraph'>;
  /** Requests waiting now for a call another request of the same caller made. */
  readonly waiting: Gauge<'subgraph'>;
  /** Requests refused an answer because the subgraph did not record their shared read. */
  readonly notRecorded: Counter<'subgraph'>;
}

export function subgraphCallMetrics(registry: Registry): SubgraphCallMetrics {
  return {
    calls: new Counter({
      name: 'mash_gateway_subgraph_calls_total',
      help: 'Calls the gateway sent to each subgraph.',
      labelNames: ['subgraph'],
      registers: [registry],
    }),
    sharedAnswers: new Counter({
      name: 'mash_gateway_subgraph_shared_answers_total',
      help: 'Subgraph fetches answered from an identical call of the same caller already in flight.',
      labelNames: ['subgraph'],
      registers: [registry],
    }),
    waiting: new Gauge({
      name: 'mash_gateway_subgraph_shared_waiting',
      help: 'Subgraph fetches waiting now for an identical call of the same caller already in flight.',
      labelNames: ['subgraph'],
      registers: [registry],
    }),
    notRecorded: new Counter({
      name: 'mash_gateway_shared_reads_not_recorded_total',
      help: 'Shared answers withheld (INTERNAL) because the subgraph did not record the read in its audit trail.',
      labelNames: ['subgraph'],
      registers: [registry],
    }),
  };
}

/** What a joiner gets when its read of personal data could not be recorded: no data, as the audit plugin does. */
function notRecordedAnswer(): Answer {
  return codedErrorResponse('INTERNAL') as Answer;
}

/**
 * Calls one subgraph, forwarding the caller's own bearer token (each subgraph verifies it again and applies
 * need-to-know) and the request id for tracing and for the audit trail.
 */
export class AuthenticatedSubgraphSource extends RemoteGraphQLDataSource<GatewayContext> {
  private readonly agent: Agent;
  private readonly inflight = new InflightCalls<Answer>();
  private readonly sharedReadsUrl: string;

  /**
   * @param sharing whether identical queries in flight at once for the same token share one call, and whether
   *   each joiner's read is recorded by the subgraph (`audited`, for subgraphs that audit reads of personal data).
   */
  constructor(
    private readonly name: string,
    url: string,
    private readonly timeoutMs: number,
    private readonly sharing: SubgraphSharing,
    private readonly logger: Logger,
    private readonly metrics?: SubgraphCallMetrics,
    /** The subgraph audits reads of personal data (its readers are recorded however they got its answer). */
    private readonly audited = sharing === 'audited',
  ) {
    const agent = new Agent({ keepAliveTimeout: 60_000, connections: 64 });
    super({ url, fetcher: codedFetcher(name, timeoutMs, agent) });
    this.agent = agent;
    this.sharedReadsUrl = sharedReadsUrl(url);
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
    if (this.audited) options.context.auditedReads?.add(this.name);
    const response = await this.shared(options);
    return deduped ? expandEntities(response, deduped.positions) : response;
  }

  private call(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<Answer> {
    this.metrics?.calls.inc({ subgraph: this.name });
    return super.process(options);
  }

  /**
   * Hive Gateway and Apollo Router do the same ("request deduplication") for identical concurrent queries; here
   * the key includes the caller's token, so two callers never share, and an audited subgraph records every
   * joiner's read as its own before the joiner gets the answer.
   */
  private async shared(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<Answer> {
    const isQuery =
      'incomingRequestContext' in options && options.incomingRequestContext.operation?.operation === 'query';
    const { token, requestId } = options.context;
    if (this.sharing === 'none' || !isQuery || !token || !requestId) return this.call(options);
    const key = `${token}\n${options.request.query ?? ''}\n${JSON.stringify(options.request.variables ?? {})}`;
    const joining = this.inflight.has(key);
    if (joining) this.metrics?.waiting.inc({ subgraph: this.name });
    let shared: Shared<Answer>;
    try {
      shared = await this.inflight.run(
        key,
        requestId,
        () => this.call(options),
        this.sharing === 'audited'
          ? (answer, joiners) =>
              answer.data === null || answer.data === undefined
                ? Promise.resolve()
                : this.recordReaders(token, requestId, joiners)
          : undefined,
      );
    } finally {
      if (joining) this.metrics?.waiting.dec({ subgraph: this.name });
    }
    if (shared.role === 'leader') return shared.answer;
    this.metrics?.sharedAnswers.inc({ subgraph: this.name });
    if (shared.answer === NOT_RECORDED) {
      this.metrics?.notRecorded.inc({ subgraph: this.name });
      return notRecordedAnswer();
    }
    // Each caller gets its own copy: the gateway merges later fetches into these objects.
    const { data, errors, extensions } = shared.answer;
    return structuredClone({ data, errors, extensions });
  }

  /**
   * Asks the subgraph to record that `joinerRequestIds` read what it answered `leaderRequestId` (an answer without
   * data read nothing, so a shared call without data is not recorded); throws if it did not.
   */
  async recordReaders(
    token: string,
    leaderRequestId: string,
    joinerRequestIds: readonly string[],
  ): Promise<void> {
    await this.recordShared(token, leaderRequestId, { joinerRequestIds }, 'the joiners get INTERNAL');
  }

  /**
   * Asks the subgraph to record that other people of the caller's access scope were sent what it answered
   * `leaderRequestId` (a live subscription's shared resolution), each under their own name: resolves with the
   * readers it refused; throws if it recorded nothing.
   */
  async recordScopeReaders(
    token: string,
    leaderRequestId: string,
    readers: readonly ScopeReader[],
  ): Promise<readonly string[]> {
    const recorded = await this.recordShared(
      token,
      leaderRequestId,
      { readers },
      'the readers are not sent the result',
    );
    return recorded.refusedReaders;
  }

  /** One call to the subgraph's `/audit/shared-reads`; a failure is logged (with what it costs) and thrown. */
  private async recordShared(
    token: string,
    leaderRequestId: string,
    who: { joinerRequestIds: readonly string[] } | { readers: readonly ScopeReader[] },
    consequence: string,
  ): Promise<Awaited<ReturnType<typeof recordSharedReads>>> {
    try {
      return await recordSharedReads({
        serviceName: this.name,
        url: this.sharedReadsUrl,
        token,
        leaderRequestId,
        ...who,
        dispatcher: this.agent,
        timeoutMs: this.timeoutMs,
      });
    } catch (err) {
      const count = 'readers' in who ? who.readers.length : who.joinerRequestIds.length;
      this.logger.error(
        { err, serviceName: this.name, readers: count },
        `shared reads not recorded: ${consequence}`,
      );
      throw err;
    }
  }

  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): void {
    if (context.token) request.http?.headers.set('authorization', `Bearer ${context.token}`);
    if (context.requestId) request.http?.headers.set('x-request-id', context.requestId);
  }
}
