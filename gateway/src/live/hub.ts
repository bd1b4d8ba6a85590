import type { ExecutionResult, GraphQLFormattedError } from 'graphql';
import type { Identity } from '@mash/schema';
import type { Logger } from '@mash/service-kit';
import { FILTER_KEY, ESCALATION_VARIABLE, matches, type FilterFacts, type LiveQuery } from './live-query';

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

  push(result: ExecutionResult): void {
    if (this.done) return;
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = undefined;
      resolve({ value: result, done: false });
      return;
    }
    if (this.queue.length >= this.limit) {
      // A client that does not read cannot grow the gateway's memory: it is disconnected instead.
      this.finish();
      this.onOverflow();
      return;
    }
    this.queue.push(result);
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
 * Delivers escalation changes to subscribers. Each event names the escalation that changed; each group of
 * subscribers with the same selection and access scope gets one resolution of its own query through the graph,
 * as its own caller, and receives the escalation only if that query can see it.
 */
export class LiveHub {
  private readonly groups = new Map<string, Group>();
  private readonly queueLimit: number;

  constructor(private readonly options: LiveHubOptions) {
    this.queueLimit = options.queueLimit ?? 100;
  }

  get subscriberCount(): number {
    let n = 0;
    for (const g of this.groups.values()) n += g.subscribers.size;
    return n;
  }

  subscribe(
    live: LiveQuery,
    caller: LiveCaller,
    onOverflow: () => void,
  ): AsyncIterableIterator<ExecutionResult> {
    const key = `${accessScopeOf(caller.identity)}\n${live.query}\n${JSON.stringify(live.variables)}\n${JSON.stringify(live.filter)}`;
    let group = this.groups.get(key);
    if (!group) {
      group = { live, caller, subscribers: new Set() };
      this.groups.set(key, group);
    }
    const g = group;
    const subscriber = new Subscriber(this.queueLimit, onOverflow, () => {
      g.subscribers.delete(subscriber);
      if (g.subscribers.size === 0) this.groups.delete(key);
    });
    g.subscribers.add(subscriber);
    return subscriber;
  }

  /** Resolves one event for every group watching its partnership, concurrently. */
  async publish(event: LiveEvent): Promise<void> {
    const groups = [...this.groups.values()].filter(
      (g) => g.live.filter.partnershipId === event.partnershipId,
    );
    await Promise.all(groups.map((g) => this.deliver(g, event)));
  }

  private async deliver(group: Group, event: LiveEvent): Promise<void> {
    try {
      const result = await this.options.executeAs(
        group.live.query,
        { ...group.live.variables, [ESCALATION_VARIABLE]: event.escalationId },
        group.caller,
      );
      const data = result.data ?? undefined;
      const value = data?.[group.live.rootKey];
      const facts = data?.[FILTER_KEY] as FilterFacts | null | undefined;
      // Not visible to this caller (or gone): nothing is sent, as the same query would show nothing.
      if (value === null || value === undefined || !facts) return;
      if (!matches(group.live.filter, facts)) return;
      const errors = (result.errors ?? []).filter((e) => e.path?.[0] !== FILTER_KEY);
      const payload: ExecutionResult = {
        data: { [group.live.rootKey]: value },
        ...(errors.length > 0 && { errors: errors as unknown as ExecutionResult['errors'] }),
      };
      for (const s of group.subscribers) s.push(payload);
    } catch (err) {
      this.options.logger.error({ err, escalationId: event.escalationId }, 'live resolution failed');
    }
  }

  /** Ends every subscription (shutdown). */
  async close(): Promise<void> {
    for (const g of [...this.groups.values()]) for (const s of [...g.subscribers]) await s.return();
  }
}
