import { createClient, type Client } from 'graphql-ws';
import { Client as Pg } from 'pg';
import WebSocket from 'ws';
import { Demo } from '@mash/schema';
import { startEscalationsService, type RunningEscalationsService } from '@mash/escalations';
import { notificationId } from '@mash/contacts';
import { silentLogger } from '@mash/service-kit';
import { thresholdDisagreementEvents } from '../../../scripts/lib/demo-events';
import type { RunningPlatform } from '../../../scripts/lib/platform';
import { testJwt, testToken } from '@test/support/auth';
import { startDemoPlatform, type DemoPlatform } from '@test/support/demo-platform';
import { TestClock } from '@test/support/fixtures/escalations';
import { eventually, gql } from '@test/support/gateway-client';
import { testBrokers, testKafkaAuth } from '@test/support/kafka';
import { laPractitioner, policePractitioner } from '@test/support/demo-callers';

// End to end through the real gateway, broker and database: an automatic raise tells the first stage's owners; the
// stage's deadline passing (the escalations scheduler on an injected clock, two engine instances running) tells the
// next stage's owners of both agencies and the raiser, each exactly once; a person reads their notifications
// through the gateway, marks them read (only their own), and receives them live over WebSocket.

const C = Demo.contacts;
const DAY = 86_400_000;

const policeLineManager = testToken({
  sub: C.policeLineManager,
  roles: ['line-manager'],
  partnership: Demo.partnershipId,
  agency: Demo.agencies.police,
});

const RAISED_WORDS =
  'A threshold disagreement escalation was raised automatically at stage 1. You own this stage: the receiving agency acknowledges it, then talk to your counterpart in the other agency and record what is agreed.';

interface Row {
  id: string;
  recipient_id: string;
  event_type: string;
  reason: string;
  stage: number;
}

interface Received {
  data?: {
    notificationReceived: {
      eventType: string;
      reason: string;
      stage: number;
      message: string;
      escalation: { id: string; stage: number; stageOwners: { name: string }[] };
    };
  };
  errors?: unknown[];
}

function subscribe(url: string, token: string, into: Received[]): Client {
  const client = createClient({
    url: url.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${token}` },
    retryAttempts: 0,
    lazy: false,
    onNonLazyError: () => undefined,
  });
  client.subscribe(
    {
      query: `subscription { notificationReceived { eventType reason stage message
        escalation { id stage stageOwners { name } } } }`,
    },
    { next: (v) => void into.push(v as Received), error: () => undefined, complete: () => undefined },
  );
  return client;
}

describe('a stage deadline passing notifies the next stage and the raiser once', () => {
  const clock = new TestClock(new Date());
  const raisedAt = clock.now();
  let demo: DemoPlatform;
  let platform: RunningPlatform;
  let secondEngine: RunningEscalationsService;
  let escalationId: string;
  const clients: Client[] = [];

  const rows = async (): Promise<Row[]> =>
    (await query(
      `SELECT "id", "recipient_id", "event_type", "reason", "stage" FROM "contacts"."notification"
        ORDER BY "event_type", "recipient_id"`,
    )) as Row[];
  const query = async (sql: string): Promise<unknown[]> => {
    const pg = new Pg({ connectionString: demo.db.url });
    await pg.connect();
    try {
      return (await pg.query(sql)).rows as unknown[];
    } finally {
      await pg.end();
    }
  };

  beforeAll(async () => {
    demo = await startDemoPlatform({ clock, schedulerIntervalMs: 100 });
    platform = demo.platform;
    // A second escalations instance on the same database and topics: two engines, two schedulers.
    secondEngine = await startEscalationsService(
      {
        host: '127.0.0.1',
        port: 0,
        databaseUrl: demo.db.url,
        jwt: testJwt,
        kafkaBrokers: testBrokers(),
        ...(testKafkaAuth() && { kafkaAuth: testKafkaAuth() }),
        topicPrefix: demo.prefix,
        agenciesUrl: platform.subgraphUrls.agencies,
        auditEnabled: true,
      },
      { logger: silentLogger(), clock, schedulerIntervalMs: 100 },
    );
    await secondEngine.consumerJoined;
    await demo.publish(thresholdDisagreementEvents(raisedAt, 'lapse'));
    escalationId = await eventually(
      async () => {
        const found = (await query(
          `SELECT "escalation_id" FROM "contacts"."notification" WHERE "event_type" = 'raised' LIMIT 1`,
        )) as { escalation_id: string }[];
        return found[0]?.escalation_id;
      },
      { what: 'the raise to be notified', timeoutMs: 60_000 },
    );
  }, 180_000);

  afterAll(async () => {
    for (const c of clients) await c.dispose();
    await secondEngine?.stop();
    await demo?.stop();
  });

  it('tells the stage-1 owners of both agencies of the automatic raise', async () => {
    await eventually(async () => ((await rows()).length === 3 ? true : undefined), {
      what: 'three notifications of the raise',
    });
    expect(await rows()).toEqual(
      [C.laChildrenDutySocialWorker, C.laChildrenPractitioner, C.policePractitioner]
        .sort()
        .map((recipient) => ({
          recipient_id: recipient,
          event_type: 'raised',
          reason: 'stage-owner',
          stage: 1,
        }))
        .map((r) => expect.objectContaining(r)),
    );
  });

  it('tells the next stage’s owners of both agencies and the raiser once when the clock passes the deadline', async () => {
    const lineManagerLive: Received[] = [];
    const laLive: Received[] = [];
    clients.push(subscribe(platform.gatewayUrl, policeLineManager, lineManagerLive));
    clients.push(subscribe(platform.gatewayUrl, laPractitioner, laLive));
    await eventually(async () => (platform.liveSubscribers() === 2 ? true : undefined), {
      what: 'two subscribers on the hub',
    });

    // MK Together's first stage has 7 calendar days.
    clock.set(new Date(raisedAt.getTime() + 8 * DAY).toISOString());
    await eventually(
      async () =>
        (await rows()).filter((r) => r.event_type === 'stage-advanced').length >= 4 ? true : undefined,
      { what: 'the stage-2 notifications', timeoutMs: 60_000 },
    );
    // Both schedulers have had many turns since; nothing more comes.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const advanced = (await rows()).filter((r) => r.event_type === 'stage-advanced');
    expect(advanced.map((r) => [r.recipient_id, r.reason]).sort()).toEqual(
      [
        [C.policeLineManager, 'stage-owner'],
        [C.policeDsl, 'stage-owner'],
        [C.laChildrenLineManager, 'stage-owner'],
        [C.policePractitioner, 'raiser'],
      ].sort(),
    );
    const transitions = (await query(
      `SELECT count(*)::int AS "n" FROM "escalations"."escalation_transition" WHERE "to_stage" = 2`,
    )) as { n: number }[];
    expect(transitions[0]?.n).toBe(1);

    // Live, over WebSocket, to the line manager: fields from the contacts and escalations subgraphs.
    const live = await eventually(async () => lineManagerLive[0], { what: 'the live notification' });
    expect(live.errors).toBeUndefined();
    expect(live.data!.notificationReceived).toEqual({
      eventType: 'STAGE_ADVANCED',
      reason: 'STAGE_OWNER',
      stage: 2,
      // "was moved", or "moved … because the previous stage's deadline passed" once events carry their cause.
      message: expect.stringMatching(
        /^The threshold disagreement escalation (was moved to stage 2|moved to stage 2 because the previous stage's deadline passed unresolved)\. You now own this stage: meet your counterpart in the other agency and record the decision and its rationale\.$/,
      ),
      escalation: {
        id: escalationId,
        stage: 2,
        stageOwners: [{ name: 'Claire Donovan' }, { name: 'Rachel Meyer' }, { name: 'Tom Hargreaves' }],
      },
    });
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(lineManagerLive).toHaveLength(1);
    // The children's services practitioner owns no part of stage 2 and raised nothing: told nothing live.
    expect(laLive).toEqual([]);
  });

  it('gives the raiser their notifications through the gateway, newest first, with the escalation', async () => {
    const res = await gql<{
      myNotifications: { nodes: unknown[]; pageInfo: { hasNextPage: boolean } };
      myUnreadNotificationCount: number;
    }>(
      platform.gatewayUrl,
      `query { myNotifications { nodes { id eventType reason stage message immediateRisk readAt
          escalation { id ground stage raisingAgency { name } } }
        pageInfo { hasNextPage } }
        myUnreadNotificationCount }`,
      {},
      policePractitioner,
    );
    expect(res.errors).toBeUndefined();
    const escalation = (stage: number) => ({
      id: escalationId,
      ground: 'THRESHOLD_DISAGREEMENT',
      stage,
      raisingAgency: { name: 'Thames Valley Police' },
    });
    const advancedEvent = (await query(
      `SELECT "event_id" FROM "contacts"."notification" WHERE "event_type" = 'stage-advanced' LIMIT 1`,
    )) as { event_id: string }[];
    const raisedEvent = (await query(
      `SELECT "event_id" FROM "contacts"."notification" WHERE "event_type" = 'raised' LIMIT 1`,
    )) as { event_id: string }[];
    expect(res.data).toEqual({
      myNotifications: {
        nodes: [
          {
            id: notificationId(advancedEvent[0]!.event_id, C.policePractitioner),
            eventType: 'STAGE_ADVANCED',
            reason: 'RAISER',
            stage: 2,
            message: expect.stringMatching(
              /^The threshold disagreement escalation (was )?moved to stage 2.* You will be told of every decision recorded at this stage\.$/,
            ),
            immediateRisk: false,
            readAt: null,
            escalation: escalation(2),
          },
          {
            id: notificationId(raisedEvent[0]!.event_id, C.policePractitioner),
            eventType: 'RAISED',
            reason: 'STAGE_OWNER',
            stage: 1,
            message: RAISED_WORDS,
            immediateRisk: false,
            readAt: null,
            escalation: escalation(2),
          },
        ],
        pageInfo: { hasNextPage: false },
      },
      myUnreadNotificationCount: 2,
    });
  });

  it('pages through a person’s notifications, newest first', async () => {
    type Page = {
      myNotifications: {
        nodes: { eventType: string }[];
        pageInfo: { endCursor: string | null; hasNextPage: boolean };
      };
    };
    const page = `query($first: Int, $after: String) { myNotifications(first: $first, after: $after) {
      nodes { eventType } pageInfo { endCursor hasNextPage } } }`;
    const first = await gql<Page>(platform.gatewayUrl, page, { first: 1 }, policePractitioner);
    expect(first.data?.myNotifications.nodes).toEqual([{ eventType: 'STAGE_ADVANCED' }]);
    expect(first.data?.myNotifications.pageInfo.hasNextPage).toBe(true);
    const second = await gql<Page>(
      platform.gatewayUrl,
      page,
      { first: 1, after: first.data!.myNotifications.pageInfo.endCursor },
      policePractitioner,
    );
    expect(second.data?.myNotifications).toEqual({
      nodes: [{ eventType: 'RAISED' }],
      pageInfo: { endCursor: expect.any(String), hasNextPage: false },
    });
    const bad = await gql(platform.gatewayUrl, page, { first: 1, after: 'nope' }, policePractitioner);
    expect(bad.errors?.map((e) => e.extensions?.['code'])).toEqual(['BAD_USER_INPUT']);
  });

  it('lets a person mark their own notifications read, and refuses another’s with FORBIDDEN', async () => {
    const [theirs] = (await query(
      `SELECT "id" FROM "contacts"."notification" WHERE "recipient_id" = '${C.policeLineManager}'`,
    )) as { id: string }[];
    const mark = `mutation($id: ID!) { markNotificationRead(id: $id) { id readAt } }`;
    const refused = await gql(platform.gatewayUrl, mark, { id: theirs!.id }, policePractitioner);
    expect(refused.data).toBeNull();
    expect(refused.errors?.map((e) => e.extensions?.['code'])).toEqual(['FORBIDDEN']);
    const [stillUnread] = (await query(
      `SELECT "read_at" FROM "contacts"."notification" WHERE "id" = '${theirs!.id}'`,
    )) as { read_at: Date | null }[];
    expect(stillUnread?.read_at).toBeNull();

    const own = await gql<{ markNotificationRead: { id: string; readAt: string | null } }>(
      platform.gatewayUrl,
      mark,
      { id: theirs!.id },
      policeLineManager,
    );
    expect(own.errors).toBeUndefined();
    expect(own.data!.markNotificationRead.id).toBe(theirs!.id);
    expect(own.data!.markNotificationRead.readAt).toEqual(expect.any(String));

    const unknown = await gql(
      platform.gatewayUrl,
      mark,
      { id: '00000000-0000-4000-8000-000000000000' },
      policeLineManager,
    );
    expect(unknown.errors?.map((e) => e.extensions?.['code'])).toEqual(['NOT_FOUND']);

    const unread = await gql<{ myNotifications: { nodes: { id: string }[] } }>(
      platform.gatewayUrl,
      `query { myNotifications(unreadOnly: true) { nodes { id } } }`,
      {},
      policeLineManager,
    );
    expect(unread.data).toEqual({ myNotifications: { nodes: [] } });

    const all = await gql<{ markAllNotificationsRead: number; after: number }>(
      platform.gatewayUrl,
      `mutation { markAllNotificationsRead }`,
      {},
      policePractitioner,
    );
    expect(all.data).toEqual({ markAllNotificationsRead: 2 });
    const count = await gql(
      platform.gatewayUrl,
      `query { myUnreadNotificationCount }`,
      {},
      policePractitioner,
    );
    expect(count.data).toEqual({ myUnreadNotificationCount: 0 });
  });
});
