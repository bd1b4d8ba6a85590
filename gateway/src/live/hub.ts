import { randomUUID } from 'node:crypto';
import { GraphQLError, type ExecutionResult, type GraphQLFormattedError } from 'graphql';
import { LRUCache } from 'lru-cache';
import { accessScopeOf, type Identity } from '@mash/schema';
import { BY_IDS_LIMIT, type Logger } from '@mash/service-kit';
import {
  ESCALATIONS_VARIABLE,
  FILTER_KEY,
  matches,
  NOTIFICATION_VARIABLE,
  type FilterFacts,
  type LiveQuery,
} from './live-query';
import type { ScopeReader } from '../shared-reads';

/**
 * Runs a query through the federated graph as the given caller (Apollo Server's `executeOperation`): its answer,
 * the request id it ran under and the audited subgraphs it read from.
 */
export type ExecuteAs = (
  query: string,
  variables: Record<string, unknown>,
  caller: LiveCaller,
) => Promise<{
  data?: Record<string, unknown> | null;
  errors?: readonly GraphQLFormattedError[];
  requestId?: string;
  auditedReads?: readonly string[];
}>;

/** One run of a group's query: as whom, under which request id, and which audited subgraphs it read from. */
export interface Resolution {
  readonly caller: LiveCaller;
  readonly requestId: string;
  readonly auditedReads: readonly string[];
}

/**
 * Records, in every audited subgraph a resolution read from, that `readers` (other people of its caller's access
 * scope, each with their own token) were sent its answer, each under their own name. Resolves with the request
 * ids of the readers refused (nothing recorded for them); rejects when the reads could not be recorded.
 */
export type RecordReaders = (
  resolution: Resolution,
  readers: readonly ScopeReader[],
) => Promise<ReadonlySet<string>>;

export interface LiveCaller {
  readonly identity: Identity;
  readonly token: string;
  /** When the token runs out (ms since the epoch); a subscription is ended then. */
  readonly expiresAtMs?: number;
}

const expired = (caller: LiveCaller, now: number) =>
  caller.expiresAtMs !== undefined && caller.expiresAtMs <= now;

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

/**
 * Errors of a resolution, as errors a subscription result carries: graphql-ws serialises each with `toJSON`. Their
 * locations are in the query the hub ran, not in the subscriber's document, so they are left out.
 */
function subscriptionErrors(errors: readonly GraphQLFormattedError[]): GraphQLError[] {
  return errors.map(
    (e) =>
      new GraphQLError(e.message, {
        ...(e.path && { path: e.path }),
        ...(e.extensions && { extensions: e.extensions }),
      }),
  );
}

/**
 * What a subscriber is sent instead of a change whose read could not be recorded in the audit trail under their
 * name (the audited subgraph did not answer, or did not accept their token): their view may be out of date, so a
 * client reloads what it shows.
 */
export const NOT_SENT: ExecutionResult = {
  errors: subscriptionErrors([
    {
      message:
        'A change could not be sent to you: your read of it could not be recorded in the audit trail. Reload to see it.',
      extensions: { code: 'INTERNAL', retriable: true },
    },
  ]),
};

/** Why a subscriber's connection is closed by the server. */
export const SLOW_SUBSCRIBER = { code: 4429, reason: 'SUBSCRIBER_TOO_SLOW' } as const;

class Subscriber implements AsyncIterableIterator<ExecutionResult> {
  private readonly queue: ExecutionResult[] = [];
  private waiting: ((r: IteratorResult<ExecutionResult>) => void) | undefined;
  private done = false;

  constructor(
    readonly caller: LiveCaller,
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

/**
 * Subscribers with one selection and one access scope. Their query runs as the longest-subscribed member; the
 * others are sent its answer once their reads are recorded under their own names (`RecordReaders`).
 */
interface Group {
  readonly live: LiveQuery;
  /** A notification group's recipient (every member is that person). */
  readonly recipient: string;
  readonly subscribers: Set<Subscriber>;
}

export interface LiveHubOptions {
  readonly executeAs: ExecuteAs;
  /**
   * Records the reads of a group's other members (the audit trail: every read of personal data under the reader's
   * own name). Without it, every member is sent the answer and only the member it ran as has the read recorded.
   */
  readonly recordReaders?: RecordReaders;
  readonly logger: Logger;
  /** Results a subscriber may leave unread before it is disconnected (default 100). */
  readonly queueLimit?: number;
}

/**
 * Delivers escalation changes and notifications to subscribers. Each escalation event names the escalation that
 * changed; each group of subscribers with the same selection and access scope gets one resolution of its own query
 * through the graph per fetched batch (every escalation the batch changed, at once), as its longest-subscribed
 * member, and receives each escalation only if that query can see it; the other members once their own reads are
 * recorded (`RecordReaders`). Each notification goes to its recipient's own subscriptions only, resolved as the
 * recipient.
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
      group = { live, recipient: caller.identity.subject, subscribers: new Set() };
      this.groups.set(key, group);
    }
    const g = group;
    const subscriber = new Subscriber(caller, this.queueLimit, onOverflow, () => {
      g.subscribers.delete(subscriber);
      if (g.subscribers.size === 0) this.groups.delete(key);
    });
    g.subscribers.add(subscriber);
    // A new selection is planned now, not on the first change it is owed (an empty batch reads nothing).
    if (live.kind === 'escalation' && !this.ran.has(live.query)) {
      void this.execute(g, { [ESCALATIONS_VARIABLE]: [] }).catch(() => undefined);
    }
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
      (g) => g.live.kind === 'notification' && g.recipient === notification.recipientId,
    );
    await Promise.all(
      groups.map((g) =>
        this.deliver(g, { [NOTIFICATION_VARIABLE]: notification.id }).catch((err: unknown) =>
          this.options.logger.error({ err, notificationId: notification.id }, 'live resolution failed'),
        ),
      ),
    );
  }

  /**
   * Runs a group's query as its longest-subscribed member; nothing when it has none left (nobody would be sent it,
   * and nobody's read would be recorded for nothing). The first run of a query text goes alone (see `firstRuns`).
   */
  private async execute(
    group: Group,
    variables: Record<string, unknown>,
  ): Promise<{ result: Awaited<ReturnType<ExecuteAs>>; resolution: Resolution } | undefined> {
    const text = group.live.query;
    const first = this.firstRuns.get(text);
    if (first) await first;
    const caller = this.members(group)[0]?.caller;
    if (!caller) return undefined;
    const run = this.options.executeAs(text, { ...group.live.variables, ...variables }, caller);
    if (!first && !this.ran.has(text)) {
      this.ran.set(text, true);
      const settled = run.then(
        () => undefined,
        () => undefined,
      );
      this.firstRuns.set(text, settled);
      void settled.then(() => this.firstRuns.delete(text));
    }
    const result = await run;
    return {
      result,
      resolution: { caller, requestId: result.requestId ?? '', auditedReads: result.auditedReads ?? [] },
    };
  }

  /**
   * A group's members, longest-subscribed first. A member whose token has run out is ended here (graphql-ws closes
   * such a connection itself at expiry; a Server-Sent Events stream then completes): nothing more is read for it.
   */
  private members(group: Group): Subscriber[] {
    const now = Date.now();
    const members: Subscriber[] = [];
    for (const s of [...group.subscribers]) {
      if (expired(s.caller, now)) void s.return();
      else members.push(s);
    }
    return members;
  }

  /**
   * The members of a group that may be sent what a resolution answered: those who are the person it ran as, and
   * the others whose reads the audited subgraphs it read from recorded under their own names (one request id per
   * person). When the reads cannot be recorded, only the person it ran as is sent it; the others are sent
   * `NOT_SENT` instead (their view may now be out of date).
   */
  private async recipients(
    resolution: Resolution,
    members: readonly Subscriber[],
  ): Promise<readonly Subscriber[]> {
    const leader = resolution.caller.identity.subject;
    const others = members.filter((s) => s.caller.identity.subject !== leader);
    const record = this.options.recordReaders;
    if (others.length === 0 || !record || resolution.auditedReads.length === 0) return members;
    const readers = new Map<string, ScopeReader>();
    for (const s of others) {
      const subject = s.caller.identity.subject;
      if (!readers.has(subject)) readers.set(subject, { requestId: randomUUID(), token: s.caller.token });
    }
    const own = members.filter((s) => s.caller.identity.subject === leader);
    try {
      const refused = await record(resolution, [...readers.values()]);
      return [
        ...own,
        ...others.filter((s) => !refused.has(readers.get(s.caller.identity.subject)!.requestId)),
      ];
    } catch (err) {
      this.options.logger.error(
        { err, readers: readers.size, requestId: resolution.requestId },
        'the reads of the others in a live group could not be recorded: they are not sent the change',
      );
      return own;
    }
  }

  /**
   * A batch's escalations for one group: one resolution per `BY_IDS_LIMIT` of them, then every visible one that
   * matches the group's filter sent at once to each member whose read is recorded, in the batch's order.
   */
  private async deliverEscalations(group: Group, ids: readonly string[]): Promise<void> {
    const members = this.members(group);
    if (members.length === 0) return;
    const chunks: (readonly string[])[] = [];
    for (let i = 0; i < ids.length; i += BY_IDS_LIMIT) chunks.push(ids.slice(i, i + BY_IDS_LIMIT));
    const sent = await Promise.all(
      chunks.map(async (chunk) => {
        try {
          const resolved = await this.resolveEscalations(group, chunk);
          if (!resolved || resolved.payloads.length === 0) return { payloads: [], to: new Set<Subscriber>() };
          return {
            payloads: resolved.payloads,
            to: new Set(await this.recipients(resolved.resolution, members)),
          };
        } catch (err) {
          this.options.logger.error({ err, escalationIds: chunk }, 'live resolution failed');
          return { payloads: [], to: new Set<Subscriber>() };
        }
      }),
    );
    for (const s of members) {
      s.push(
        sent.flatMap(({ payloads, to }) => (to.has(s) ? payloads : payloads.length > 0 ? [NOT_SENT] : [])),
      );
    }
  }

  /**
   * One resolution of escalations for one group: the results to send, each as its own query would show it; nothing
   * when the group has no member left to run it as.
   */
  private async resolveEscalations(
    group: Group,
    ids: readonly string[],
  ): Promise<{ payloads: ExecutionResult[]; resolution: Resolution } | undefined> {
    const { live } = group;
    if (live.kind !== 'escalation') throw new Error('not an escalation group');
    const { rootKey, filter } = live;
    const ran = await this.execute(group, { [ESCALATIONS_VARIABLE]: ids });
    if (!ran) return undefined;
    const { result, resolution } = ran;
    const values = result.data?.[rootKey];
    const facts = result.data?.[FILTER_KEY];
    const payloads: ExecutionResult[] = [];
    if (!Array.isArray(values)) return { payloads, resolution };
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
    values.forEach((value: unknown, i) => {
      const fact = Array.isArray(facts) ? (facts[i] as FilterFacts | null | undefined) : undefined;
      // Not visible to this caller (or gone), or outside the subscriber's filter: nothing is sent, as the same
      // query would show nothing.
      if (value === null || value === undefined || !fact || !matches(filter, fact)) return;
      const errors = [...(itemErrors.get(i) ?? []), ...shared];
      payloads.push({
        data: { [rootKey]: value },
        ...(errors.length > 0 && { errors: subscriptionErrors(errors) }),
      });
    });
    return { payloads, resolution };
  }

  private async deliver(group: Group, variables: Record<string, unknown>): Promise<void> {
    const members = this.members(group);
    if (members.length === 0) return;
    const ran = await this.execute(group, variables);
    if (!ran) return;
    const { result, resolution } = ran;
    const value = result.data?.[group.live.rootKey];
    // Not visible to this caller (or gone): nothing is sent, as the same query would show nothing.
    if (value === null || value === undefined) return;
    const payload: ExecutionResult = {
      data: { [group.live.rootKey]: value },
      ...(result.errors && { errors: subscriptionErrors(result.errors) }),
    };
    const to = new Set(await this.recipients(resolution, members));
    for (const s of members) s.push([to.has(s) ? payload : NOT_SENT]);
  }

  /** Ends every subscription (shutdown). */
  async close(): Promise<void> {
    for (const g of [...this.groups.values()]) for (const s of [...g.subscribers]) await s.return();
  }
}
