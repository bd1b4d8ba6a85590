import type { ExecutionResult, GraphQLFormattedError } from 'graphql';
import { LRUCache } from 'lru-cache';
import type { Identity } from '@mash/schema';
import { BY_IDS_LIMIT, type Logger } from '@mash/service-kit';
import {
  ESCALATIONS_VARIABLE,
  FILTER_KEY,
  matches,
  NOTIFICATION_VARIABLE,
  type FilterFacts,
  type LiveQuery,
} from './live-query';

/** Runs a query through the federated graph as the given caller (Apollo Server's `executeOperation`). */
export type ExecuteAs = (
  query: string,
  variables: Record<string, unknown>,
  caller: LiveCaller,
) => Promise<{ data?: Record<string, unknown> | null; errors?: readonly GraphQLFormattedError[] }>;

export interface LiveCaller {
  readonly identity: Identity;
  readonly token: string;
}

/** One change to one escalation, as the engine published it. */
export interface LiveEvent {
  readonly id: string;
  readonly escalationId: string;
  readonly partnershipId: string;
}

/** One person told about one escalation change, as the contacts subgraph published it. */
export interface LiveNotification {
  readonly id: string;
  readonly recipientId: string;
}

/** Why a subscriber's connection is closed by the server. */
export const SLOW_SUBSCRIBER = { code: 4429, reason: 'SUBSCRIBER_TOO_SLOW' } as const;

/**
 * Callers whose access is decided alike: every access rule today depends on the caller's roles, agency and
 * partnership, so subscribers that share these and a selection share one resolution per event.
 */
export function accessScopeOf(identity: Identity): string {
  return [identity.partnershipId ?? '', identity.agencyId ?? '', [...identity.roles].sort().join(',')].join(
    '|',
  );
}

class Subscriber implements AsyncIterableIterator<ExecutionResult> {
  private readonly queue: ExecutionResult[] = [];
  private waiting: ((r: IteratorResult<ExecutionResult>) => void) | undefined;
  private done = false;

  constructor(
    private readonly limit: number,
    private readonly onOverflow: () => void,
    private readonly onDone: () => void,
  ) {}

  /**
   * Sends one batch's results. A client that does not read cannot grow the gateway's memory: one that still holds
   * `limit` unread results when the next batch comes is disconnected instead (a batch may itself be long: a burst of
   * changes fetched at once).
   */
  push(results: readonly ExecutionResult[]): void {
    if (this.done || results.length === 0) return;
    if (this.queue.length >= this.limit) {
      this.finish();
      this.onOverflow();
      return;
    }
    let from = 0;
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = undefined;
      resolve({ value: results[0]!, done: false });
      from = 1;
    }
    for (let i = from; i < results.length; i++) this.queue.push(results[i]!);
  }

  next(): Promise<IteratorResult<ExecutionResult>> {
    const value = this.queue.shift();
    if (value) return Promise.resolve({ value, done: false });
    if (this.done) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => (this.waiting = resolve));
  }

  return(): Promise<IteratorResult<ExecutionResult>> {
    this.finish();
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<ExecutionResult> {
    return this;
  }

  private finish(): void {
    if (this.done) return;
    this.done = true;
    this.queue.length = 0;
    this.waiting?.({ value: undefined, done: true });
    this.waiting = undefined;
    this.onDone();
  }
}

interface Group {
  readonly live: LiveQuery;
  readonly caller: LiveCaller;
  readonly subscribers: Set<Subscriber>;
}

export interface LiveHubOptions {
  readonly executeAs: ExecuteAs;
  readonly logger: Logger;
  /** Results a subscriber may leave unread before it is disconnected (default 100). */
  readonly queueLimit?: number;
}

/**
 * Delivers escalation changes and notifications to subscribers. Each escalation event names the escalation that
 * changed; each group of subscribers with the same selection and access scope gets one resolution of its own query
 * through the graph per fetched batch (every escalation the batch changed, at once), as its own caller, and
 * receives each escalation only if that query can see it. Each notification goes to its recipient's own
 * subscriptions only, resolved as the recipient.
 */
export class LiveHub {
  private readonly groups = new Map<string, Group>();
  private readonly queueLimit: number;
  /**
   * The first resolution of each query text, while it runs: the gateway plans a query on its first execution, and
   * groups that share a selection (one per access scope) wait for it instead of each planning the same query.
   */
  private readonly firstRuns = new Map<string, Promise<void>>();
  private readonly ran = new LRUCache<string, true>({ max: 1000 });

  constructor(private readonly options: LiveHubOptions) {
    this.queueLimit = options.queueLimit ?? 100;
  }

  get subscriberCount(): number {
    let n = 0;
    for (const g of this.groups.values()) n += g.subscribers.size;
    return n;
  }

  /** Whether any subscription is open for this kind of change (nobody's, else nothing need be read for it). */
  watches(kind: LiveQuery['kind']): boolean {
    for (const g of this.groups.values()) if (g.live.kind === kind) return true;
    return false;
  }

  subscribe(
    live: LiveQuery,
    caller: LiveCaller,
    onOverflow: () => void,
  ): AsyncIterableIterator<ExecutionResult> {
    // A person's notifications are theirs alone: their subscriptions share a resolution with nobody else's.
    const scope =
      live.kind === 'notification'
        ? `notification\n${caller.identity.subject}\n${accessScopeOf(caller.identity)}`
        : `escalation\n${accessScopeOf(caller.identity)}\n${JSON.stringify(live.filter)}`;
    const key = `${scope}\n${live.query}\n${JSON.stringify(live.variables)}`;
    let group = this.groups.get(key);
    if (!group) {
      group = { live, caller, subscribers: new Set() };
      this.groups.set(key, group);
    }
    const g = group;
    // A new selection is planned now, not on the first change it is owed (an empty batch reads nothing).
    if (live.kind === 'escalation' && !this.ran.has(live.query)) {
      void this.execute(g, { [ESCALATIONS_VARIABLE]: [] }).catch(() => undefined);
    }
    const subscriber = new Subscriber(this.queueLimit, onOverflow, () => {
      g.subscribers.delete(subscriber);
      if (g.subscribers.size === 0) this.groups.delete(key);
    });
    g.subscribers.add(subscriber);
    return subscriber;
  }

  /**
   * Resolves the escalations a fetched batch changed, for every group watching their partnership: one resolution
   * per group (per `BY_IDS_LIMIT` escalations), all groups concurrently. An escalation changed twice in the batch is
   * resolved and delivered once, as it is now.
   */
  async publish(events: readonly LiveEvent[]): Promise<void> {
    const idsByPartnership = new Map<string, Set<string>>();
    for (const e of events) {
      let ids = idsByPartnership.get(e.partnershipId);
      if (!ids) idsByPartnership.set(e.partnershipId, (ids = new Set()));
      ids.add(e.escalationId);
    }
    const work: Promise<void>[] = [];
    for (const g of this.groups.values()) {
      if (g.live.kind !== 'escalation') continue;
      const ids = idsByPartnership.get(g.live.filter.partnershipId);
      if (ids) work.push(this.deliverEscalations(g, [...ids]));
    }
    await Promise.all(work);
  }

  /** Resolves one notification for its recipient's own subscriptions only, as the recipient. */
  async publishNotification(notification: LiveNotification): Promise<void> {
    const groups = [...this.groups.values()].filter(
      (g) => g.live.kind === 'notification' && g.caller.identity.subject === notification.recipientId,
    );
    await Promise.all(
      groups.map((g) =>
        this.deliver(g, { [NOTIFICATION_VARIABLE]: notification.id }).catch((err: unknown) =>
          this.options.logger.error({ err, notificationId: notification.id }, 'live resolution failed'),
        ),
      ),
    );
  }

  /** Runs a group's query as its caller; the first run of a query text goes alone (see `firstRuns`). */
  private async execute(
    group: Group,
    variables: Record<string, unknown>,
  ): Promise<Awaited<ReturnType<ExecuteAs>>> {
    const text = group.live.query;
    const first = this.firstRuns.get(text);
    if (first) await first;
    const run = this.options.executeAs(text, { ...group.live.variables, ...variables }, group.caller);
    if (!first && !this.ran.has(text)) {
      this.ran.set(text, true);
      const settled = run.then(
        () => undefined,
        () => undefined,
      );
      this.firstRuns.set(text, settled);
      void settled.then(() => this.firstRuns.delete(text));
    }
    return run;
  }

  /**
   * A batch's escalations for one group: one resolution per `BY_IDS_LIMIT` of them, then every visible one that
   * matches the group's filter sent to each subscriber at once, in the batch's order.
   */
  private async deliverEscalations(group: Group, ids: readonly string[]): Promise<void> {
    const chunks: (readonly string[])[] = [];
    for (let i = 0; i < ids.length; i += BY_IDS_LIMIT) chunks.push(ids.slice(i, i + BY_IDS_LIMIT));
    const resolved = await Promise.all(
      chunks.map((chunk) =>
        this.resolveEscalations(group, chunk).catch((err: unknown) => {
          this.options.logger.error({ err, escalationIds: chunk }, 'live resolution failed');
          return [];
        }),
      ),
    );
    this.send(group, resolved.flat());
  }

  /** One resolution of escalations for one group: the results to send, each as its own query would show it. */
  private async resolveEscalations(group: Group, ids: readonly string[]): Promise<ExecutionResult[]> {
    if (group.live.kind !== 'escalation') return [];
    const { rootKey, filter } = group.live;
    const result = await this.execute(group, { [ESCALATIONS_VARIABLE]: ids });
    const values = result.data?.[rootKey];
    const facts = result.data?.[FILTER_KEY];
    if (!Array.isArray(values)) return [];
    // Each item's errors, placed as the same query for that escalation alone would place them; errors of no one
    // item (a subgraph that did not answer) go with every item.
    const itemErrors = new Map<number, GraphQLFormattedError[]>();
    const shared: GraphQLFormattedError[] = [];
    for (const e of result.errors ?? []) {
      if (e.path?.[0] === FILTER_KEY) continue;
      const index = e.path?.[0] === rootKey ? e.path[1] : undefined;
      if (typeof index !== 'number') {
        shared.push(e);
        continue;
      }
      const list = itemErrors.get(index) ?? [];
      list.push({ ...e, path: [rootKey, ...e.path!.slice(2)] });
      itemErrors.set(index, list);
    }
    const payloads: ExecutionResult[] = [];
    values.forEach((value: unknown, i) => {
      const fact = Array.isArray(facts) ? (facts[i] as FilterFacts | null | undefined) : undefined;
      // Not visible to this caller (or gone), or outside the subscriber's filter: nothing is sent, as the same
      // query would show nothing.
      if (value === null || value === undefined || !fact || !matches(filter, fact)) return;
      const errors = [...(itemErrors.get(i) ?? []), ...shared];
      payloads.push({
        data: { [rootKey]: value },
        ...(errors.length > 0 && { errors: errors as unknown as ExecutionResult['errors'] }),
      });
    });
    return payloads;
  }

  private async deliver(group: Group, variables: Record<string, unknown>): Promise<void> {
    const result = await this.execute(group, variables);
    const value = result.data?.[group.live.rootKey];
    // Not visible to this caller (or gone): nothing is sent, as the same query would show nothing.
    if (value === null || value === undefined) return;
    this.send(group, [
      {
        data: { [group.live.rootKey]: value },
        ...(result.errors && { errors: result.errors as unknown as ExecutionResult['errors'] }),
      },
    ]);
  }

  private send(group: Group, payloads: readonly ExecutionResult[]): void {
    for (const s of [...group.subscribers]) s.push(payloads);
  }

  /** Ends every subscription (shutdown). */
  async close(): Promise<void> {
    for (const g of [...this.groups.values()]) for (const s of [...g.subscribers]) await s.return();
  }
}
