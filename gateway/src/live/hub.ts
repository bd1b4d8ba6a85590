import type { ExecutionResult, GraphQLFormattedError } from 'graphql';
import type { Identity } from '@mash/schema';
import type { Logger } from '@mash/service-kit';
import {
  ESCALATION_VARIABLE,
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
 * Delivers escalation changes and notifications to subscribers. Each escalation event names the escalation that
 * changed; each group of subscribers with the same selection and access scope gets one resolution of its own query
 * through the graph, as its own caller, and receives the escalation only if that query can see it. Each
 * notification goes to its recipient's own subscriptions only, resolved as the recipient.
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
    const subscriber = new Subscriber(this.queueLimit, onOverflow, () => {
      g.subscribers.delete(subscriber);
      if (g.subscribers.size === 0) this.groups.delete(key);
    });
    g.subscribers.add(subscriber);
    return subscriber;
  }

  /** Resolves one escalation change for every group watching its partnership, concurrently. */
  async publish(event: LiveEvent): Promise<void> {
    const groups = [...this.groups.values()].filter(
      (g) => g.live.kind === 'escalation' && g.live.filter.partnershipId === event.partnershipId,
    );
    await Promise.all(
      groups.map((g) =>
        this.deliver(g, { [ESCALATION_VARIABLE]: event.escalationId }, (data) => {
          if (g.live.kind !== 'escalation') return false;
          const facts = data[FILTER_KEY] as FilterFacts | null | undefined;
          return !!facts && matches(g.live.filter, facts);
        }).catch((err: unknown) =>
          this.options.logger.error({ err, escalationId: event.escalationId }, 'live resolution failed'),
        ),
      ),
    );
  }

  /** Resolves one notification for its recipient's own subscriptions only, as the recipient. */
  async publishNotification(notification: LiveNotification): Promise<void> {
    const groups = [...this.groups.values()].filter(
      (g) => g.live.kind === 'notification' && g.caller.identity.subject === notification.recipientId,
    );
    await Promise.all(
      groups.map((g) =>
        this.deliver(g, { [NOTIFICATION_VARIABLE]: notification.id }, () => true).catch((err: unknown) =>
          this.options.logger.error({ err, notificationId: notification.id }, 'live resolution failed'),
        ),
      ),
    );
  }

  private async deliver(
    group: Group,
    variables: Record<string, unknown>,
    accept: (data: Record<string, unknown>) => boolean,
  ): Promise<void> {
    const result = await this.options.executeAs(
      group.live.query,
      { ...group.live.variables, ...variables },
      group.caller,
    );
    const data = result.data ?? undefined;
    const value = data?.[group.live.rootKey];
    // Not visible to this caller (or gone): nothing is sent, as the same query would show nothing.
    if (value === null || value === undefined || !accept(data!)) return;
    const errors = (result.errors ?? []).filter((e) => e.path?.[0] !== FILTER_KEY);
    const payload: ExecutionResult = {
      data: { [group.live.rootKey]: value },
      ...(errors.length > 0 && { errors: errors as unknown as ExecutionResult['errors'] }),
    };
    for (const s of group.subscribers) s.push(payload);
  }

  /** Ends every subscription (shutdown). */
  async close(): Promise<void> {
    for (const g of [...this.groups.values()]) for (const s of [...g.subscribers]) await s.return();
  }
}
