import { getOperationAST, parse } from 'graphql';
import { LRUCache } from 'lru-cache';
import { Counter, Gauge, type Registry } from 'prom-client';
import type { OperationSharing, SharableRequest } from '@mash/service-kit';
import type { GatewayContext } from './context';

/** Who records a joiner's read in an audited subgraph: its data source. */
export interface ReadRecorder {
  recordReaders(token: string, leaderRequestId: string, joinerRequestIds: readonly string[]): Promise<void>;
}

/** Whether a document's operation (by name) is a query; undefined when it does not parse or names none. */
function operationKindOf(cache: LRUCache<string, string>, query: string, operationName?: string): string {
  const key = `${operationName ?? ''}\n${query}`;
  let kind = cache.get(key);
  if (kind === undefined) {
    try {
      kind = getOperationAST(parse(query), operationName)?.operation ?? 'none';
    } catch {
      kind = 'invalid';
    }
    cache.set(key, kind);
  }
  return kind;
}

/**
 * The sharing key of a whole GraphQL request at the gateway: the caller's token, the request as sent (query,
 * operation name, variables, extensions) and the Accept header (which chooses the response's media type and
 * status). Queries only, POSTed as JSON; anything else (a mutation, a GET, a document that does not parse, an
 * anonymous caller) is executed on its own.
 */
export function operationKey(
  request: SharableRequest,
  context: GatewayContext,
  kinds: LRUCache<string, string>,
): string | undefined {
  if (request.method !== 'POST' || !context.token || !context.requestId) return undefined;
  const body = request.body;
  if (typeof body !== 'object' || body === null) return undefined;
  const { query, operationName, variables, extensions } = body as Record<string, unknown>;
  if (typeof query !== 'string') return undefined;
  if (operationName !== undefined && operationName !== null && typeof operationName !== 'string')
    return undefined;
  if (operationKindOf(kinds, query, operationName ?? undefined) !== 'query') return undefined;
  return `${context.token}\n${request.headers.accept ?? ''}\n${JSON.stringify([query, operationName ?? null, variables ?? null, extensions ?? null])}`;
}

/**
 * Identical queries in flight at once for the same token share one execution, and every request is sent the
 * same serialized answer: the gateway plans, fetches and serializes once for all of them. Before any joiner is
 * answered, each audited subgraph the leader's execution read from records the joiners' reads (its
 * `/audit/shared-reads`, one call per subgraph); if any fails, the joiners get INTERNAL and no data.
 */
export function operationSharing(
  recorders: ReadonlyMap<string, ReadRecorder>,
  registry: Registry,
): OperationSharing<GatewayContext> {
  const kinds = new LRUCache<string, string>({ max: 1000 });
  const shared = new Counter({
    name: 'mash_gateway_operations_shared_total',
    help: 'Requests answered with the response of an identical request of the same caller already in flight (outcome: answered, or not-recorded when the audited subgraphs did not record the read).',
    labelNames: ['outcome'],
    registers: [registry],
  });
  const waiting = new Gauge({
    name: 'mash_gateway_operations_shared_waiting',
    help: 'Requests waiting now for the response of an identical request of the same caller.',
    registers: [registry],
  });
  return {
    key: (request, context) => operationKey(request, context, kinds),
    async recordJoiners(leader, joiners) {
      const { token, requestId } = leader;
      if (!token || !requestId) throw new Error('a shared operation has no token or request id');
      const joinerIds = joiners.map((j) => j.requestId ?? '');
      await Promise.all(
        [...(leader.auditedReads ?? [])].map((name) => {
          const recorder = recorders.get(name);
          if (!recorder) throw new Error(`no data source for ${name}`);
          return recorder.recordReaders(token, requestId, joinerIds);
        }),
      );
    },
    onJoined: () => waiting.inc(),
    onAnswered: (outcome) => {
      waiting.dec();
      shared.inc({ outcome });
    },
  };
}
