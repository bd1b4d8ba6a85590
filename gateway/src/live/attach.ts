import { randomUUID } from 'node:crypto';
import type http from 'node:http';
import type { ApolloServer } from '@apollo/server';
import type { ApolloGateway } from '@apollo/gateway';
import { extendSchema, parse, type ExecutionArgs, type ExecutionResult, type GraphQLSchema } from 'graphql';
import { createHandler } from 'graphql-sse/lib/use/http';
import { useServer } from 'graphql-ws/use/ws';
import { LRUCache } from 'lru-cache';
import { Counter, type Registry } from 'prom-client';
import { WebSocketServer } from 'ws';
import {
  createKafka,
  readInternalMessage,
  startConsumer,
  type ConsumedMessage,
  type InternalMessages,
} from '@mash/kafka';
import { topics } from '@mash/schema';
import type { JwtVerifier, KafkaAuth, Logger } from '@mash/service-kit';
import type { GatewayContext } from '../context';
import { coalesceSends } from './coalesce';
import { LiveHub, SLOW_SUBSCRIBER, type LiveCaller } from './hub';
import { liveQueryOf } from './live-query';
import type { ScopeReader } from '../shared-reads';

export interface LiveOptions {
  readonly kafkaBrokers: readonly string[];
  /** The gateway's Kafka principal, when the broker requires SASL. */
  readonly kafkaAuth?: KafkaAuth;
  readonly topicPrefix: string;
  /** Results a subscriber may leave unread before it is disconnected. */
  readonly queueLimit?: number;
}

const SUBSCRIPTION_SDL = /* GraphQL */ `
  type Subscription {
    """
    Every change to an escalation of the partnership that the caller may see, answered with the caller's own
    selection through the whole graph, exactly as the same query would be. Optional filters: stages, an agency
    (raising or receiving) and grounds.
    """
    escalationChanged(
      partnershipId: ID!
      stages: [Int!]
      agencyId: ID
      grounds: [EscalationGround!]
    ): Escalation!
    """
    The signed-in person's notifications as they are sent (their token's subject is their contact id), answered
    with their own selection through the whole graph, exactly as \`notification(id)\` would answer it.
    """
    notificationReceived: Notification!
  }
  extend schema {
    subscription: Subscription
  }
`;

/** What records the reads of a live group's other members in one audited subgraph (its data source). */
export interface ScopeReadRecorder {
  recordScopeReaders(
    token: string,
    leaderRequestId: string,
    readers: readonly ScopeReader[],
  ): Promise<readonly string[]>;
}

/** Readers recorded per call to a subgraph's `/audit/shared-reads` (each carries a token: about 0.5 KB). */
const SCOPE_READERS_PER_CALL = 100;

/** The close code and reason a connection gets when its token runs out. */
export const TOKEN_EXPIRED_CLOSE = { code: 4401, reason: 'TOKEN_EXPIRED' } as const;

/** The `exp` of an already verified token, in milliseconds since the epoch. */
function expiryOf(token: string): number | undefined {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  const exp = (JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { exp?: unknown }).exp;
  return typeof exp === 'number' ? exp * 1000 : undefined;
}

function bearer(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const match = /^Bearer\s+(\S+)$/i.exec(value);
  return match?.[1];
}

/**
 * Live escalation changes and notifications on the gateway: graphql-ws on the `/graphql` WebSocket, Server-Sent
 * Events on `/graphql/stream`, both fed by one Kafka consumer per gateway instance on the escalation-events and
 * notifications topics.
 */
export async function attachLive(input: {
  readonly httpServer: http.Server;
  readonly apollo: ApolloServer<GatewayContext>;
  readonly gateway: ApolloGateway;
  readonly verifier: JwtVerifier;
  readonly logger: Logger;
  readonly options: LiveOptions;
  /** The gateway's metrics registry (its `/metrics`), for the records the live consumer skips. */
  readonly metrics?: Registry;
  /** The audited subgraphs' data sources, by name: they record the reads of a live group's other members. */
  readonly recorders?: ReadonlyMap<string, ScopeReadRecorder>;
}): Promise<{ stop(): Promise<void>; sse: http.RequestListener; hub: LiveHub; joined: Promise<void> }> {
  const { apollo, verifier, logger } = input;
  const log = logger.child({ component: 'live' });
  if (!input.gateway.schema) throw new Error('the gateway has no schema yet');
  const schema: GraphQLSchema = extendSchema(input.gateway.schema, parse(SUBSCRIPTION_SDL));

  const recorders = input.recorders;
  const hub = new LiveHub({
    logger: log,
    ...(input.options.queueLimit !== undefined && { queueLimit: input.options.queueLimit }),
    executeAs: async (query, variables, caller) => {
      const requestId = randomUUID();
      const auditedReads = new Set<string>();
      const response = await apollo.executeOperation(
        { query, variables },
        { contextValue: { identity: caller.identity, token: caller.token, requestId, auditedReads } },
      );
      if (response.body.kind !== 'single') return {};
      const { data, errors } = response.body.singleResult;
      return { data: data ?? null, ...(errors && { errors }), requestId, auditedReads: [...auditedReads] };
    },
    ...(recorders && {
      // Every audited subgraph the resolution read from records each reader (at most 100 a call); a reader any of
      // them refused is refused.
      recordReaders: async (resolution, readers) => {
        const calls: Promise<readonly string[]>[] = [];
        for (const name of resolution.auditedReads) {
          const recorder = recorders.get(name);
          if (!recorder) throw new Error(`no data source for ${name}`);
          for (let i = 0; i < readers.length; i += SCOPE_READERS_PER_CALL) {
            calls.push(
              recorder.recordScopeReaders(
                resolution.caller.token,
                resolution.requestId,
                readers.slice(i, i + SCOPE_READERS_PER_CALL),
              ),
            );
          }
        }
        return new Set((await Promise.all(calls)).flat());
      },
    }),
  });

  const callerOf = async (token: string | undefined): Promise<LiveCaller> => {
    const identity = await verifier.verifyHeader(token ? `Bearer ${token}` : undefined);
    const expiresAtMs = expiryOf(token!);
    return { identity, token: token!, ...(expiresAtMs !== undefined && { expiresAtMs }) };
  };
  const subscribe = (args: ExecutionArgs, onOverflow: () => void) => {
    const caller = (args.contextValue as { caller: LiveCaller }).caller;
    return hub.subscribe(liveQueryOf(schema, args), caller, onOverflow);
  };
  /** Queries and mutations sent over a stream run as they would over HTTP. */
  const execute = async (args: ExecutionArgs): Promise<ExecutionResult> => {
    const caller = (args.contextValue as { caller: LiveCaller }).caller;
    const { print } = await import('graphql');
    const response = await apollo.executeOperation(
      {
        query: print(args.document),
        variables: (args.variableValues ?? {}) as Record<string, unknown>,
        ...(args.operationName && { operationName: args.operationName }),
      },
      { contextValue: { identity: caller.identity, token: caller.token, requestId: randomUUID() } },
    );
    return response.body.kind === 'single' ? (response.body.singleResult as ExecutionResult) : {};
  };

  // One consumer per gateway instance: its own group, from the newest event, so every instance sees every change
  // and every notification (each delivered only to its recipient's subscriptions on this instance).
  const kafka = createKafka({
    brokers: input.options.kafkaBrokers,
    ...(input.options.kafkaAuth && { auth: input.options.kafkaAuth }),
    clientId: 'mash-gateway-live',
    logger: log,
  });
  const names = topics(input.options.topicPrefix);
  const seen = new LRUCache<string, true>({ max: 10_000 });
  const skipped = new Counter({
    name: 'mash_gateway_live_records_skipped_total',
    help: 'Records on the escalation-events and notifications topics the live consumer skipped because they are not a valid message (by topic and code); the stage that owns the topic dead-letters them.',
    labelNames: ['topic', 'code'],
    registers: input.metrics ? [input.metrics] : [],
  });
  /**
   * Records of one topic read against their message schema, each id once. A record
   * that is not one is skipped with its code and reason: this consumer only reads along (one group per instance),
   * and the stage that owns the topic dead-letters it.
   */
  const fresh = <K extends 'escalation event' | 'notification'>(
    kind: K,
    records: readonly ConsumedMessage[],
    prefix: string,
  ): InternalMessages[K][] => {
    const out: InternalMessages[K][] = [];
    for (const record of records) {
      const read = readInternalMessage(kind, record.value);
      if (!read.ok) {
        log.warn(
          { topic: record.topic, partition: record.partition, offset: record.offset, code: read.code },
          `live consumer skipped a record: ${read.reason}`,
        );
        skipped.inc({ topic: record.topic, code: read.code });
        continue;
      }
      if (seen.has(prefix + read.message.id)) continue;
      seen.set(prefix + read.message.id, true);
      out.push(read.message);
    }
    return out;
  };
  const consumer = await startConsumer({
    kafka,
    groupId: `${input.options.topicPrefix}mash-gateway-live-${randomUUID()}`,
    topics: [names.escalationEvents, names.notifications],
    fromBeginning: false,
    logger: log,
    // A fetched batch is resolved at once: its escalation changes in one resolution per group of subscribers
    // (each escalation as it is now, once however often the batch changed it), its notifications concurrently.
    // A run may hold both topics (the consumer combines the partitions of a fetch), so each record is read as
    // what its own topic carries.
    // A kind of change nobody has subscribed to is not read at all (a subscription delivers the changes after it
    // opens, so none is owed later): while no board is open, the records cost the gateway their fetch alone.
    handleBatch: async (records) => {
      const notifications = hub.watches('notification')
        ? fresh(
            'notification',
            records.filter((r) => r.topic === names.notifications),
            'n:',
          )
        : [];
      const events = hub.watches('escalation')
        ? fresh(
            'escalation event',
            records.filter((r) => r.topic !== names.notifications),
            'e:',
          )
        : [];
      await Promise.all([
        ...(events.length > 0 ? [hub.publish(events)] : []),
        ...notifications.map((n) => hub.publishNotification(n)),
      ]);
    },
  });

  const wss = new WebSocketServer({ server: input.httpServer, path: '/graphql' });
  // Before graphql-ws's own listener, so its first message is sent through it.
  wss.prependListener('connection', (socket, request) => coalesceSends(socket, request.socket));
  const ws = useServer<Record<string, unknown>, { caller?: LiveCaller; expiry?: NodeJS.Timeout }>(
    {
      schema,
      onConnect: async (ctx) => {
        const params = ctx.connectionParams ?? {};
        const token = bearer(params['authorization'] ?? params['Authorization']);
        try {
          ctx.extra.caller = await callerOf(token);
        } catch {
          return false;
        }
        const expiresAt = expiryOf(token!);
        if (expiresAt !== undefined) {
          ctx.extra.expiry = setTimeout(
            () => ctx.extra.socket.close(TOKEN_EXPIRED_CLOSE.code, TOKEN_EXPIRED_CLOSE.reason),
            Math.max(0, expiresAt - Date.now()),
          );
          ctx.extra.expiry.unref();
        }
        return true;
      },
      onClose: (ctx) => clearTimeout(ctx.extra.expiry),
      context: (ctx) => ({ caller: ctx.extra.caller, socket: ctx.extra.socket }),
      subscribe: (args) => {
        const socket = (args.contextValue as { socket?: { close(c: number, r: string): void } }).socket;
        return subscribe(args, () => socket?.close(SLOW_SUBSCRIBER.code, SLOW_SUBSCRIBER.reason));
      },
      execute,
    },
    wss,
    12_000,
  );

  const sse = createHandler<{ caller: LiveCaller }>({
    schema,
    authenticate: async (req) => {
      const token = bearer(req.headers.get('authorization'));
      try {
        await callerOf(token);
      } catch {
        return [null, { status: 401, statusText: 'Unauthorized' }];
      }
      return token!;
    },
    context: async (req) => ({ caller: await callerOf(bearer(req.headers.get('authorization'))) }),
    subscribe: (args) => subscribe(args, () => undefined),
    execute,
  });

  log.info('live escalation changes and notifications on /graphql (graphql-ws) and /graphql/stream (SSE)');
  return {
    hub,
    joined: consumer.joined,
    sse: (req, res) => {
      sse(req, res).catch((err: unknown) => {
        log.error({ err }, 'event stream failed');
        if (!res.headersSent) res.writeHead(500).end();
      });
    },
    async stop() {
      await hub.close();
      await ws.dispose();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await consumer.stop();
    },
  };
}
