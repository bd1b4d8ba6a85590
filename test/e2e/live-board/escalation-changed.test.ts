import { randomUUID } from 'node:crypto';
import { createClient as createWsClient, type Client as WsClient } from 'graphql-ws';
import { createClient as createSseClient } from 'graphql-sse';
import { Kafka, type Producer } from 'kafkajs';
import { Client } from 'pg';
import WebSocket from 'ws';
import { Demo, topics } from '@mash/schema';
import { thresholdDisagreementEvents } from '../../../scripts/lib/demo-events';
import type { RunningPlatform } from '../../../scripts/lib/platform';
import { testToken } from '@test/support/auth';
import { startDemoPlatform, type DemoPlatform } from '@test/support/demo-platform';
import { eventually } from '@test/support/gateway-client';
import { mashOfficer } from '@test/support/demo-callers';
import { testKafkaConfig } from '@test/support/kafka';

// An agency event on Kafka becomes a live message to a subscribed board, carrying fields from several subgraphs,
// through the real gateway; a subscriber who could not query the escalation receives nothing.

// Health is not involved in Child A's case: its safeguarding lead may not see the escalation.
const healthDsl = testToken({
  sub: Demo.contacts.healthDsl,
  roles: ['designated-safeguarding-lead'],
  partnership: Demo.partnershipId,
  agency: Demo.agencies.health,
});

// Another MASH officer of the same agency: the same access scope as the demo's, so the two share one resolution.
const secondOfficer = testToken({
  sub: 'mash-officer-second',
  roles: ['mash-officer'],
  partnership: Demo.partnershipId,
  agency: Demo.agencies.laChildren,
});

const SUBSCRIPTION = /* GraphQL */ `
  subscription Board($p: ID!) {
    change: escalationChanged(partnershipId: $p) {
      id
      stage
      status
      raisingAgency {
        name
      }
      receivingAgency {
        name
      }
      stageOwners {
        name
      }
      case {
        subject {
          identifiers {
            system
            value
          }
        }
      }
    }
  }
`;

interface Change {
  id: string;
  stage: number;
  status: string;
  raisingAgency: { name: string };
  receivingAgency: { name: string };
  stageOwners: { name: string }[];
  case: { subject: { identifiers: { system: string; value: string }[] } };
}

type Received = { data?: { change: Change }; errors?: unknown[] }[];

function wsClient(url: string, token: string, onClose?: (code: number, reason: string) => void): WsClient {
  return createWsClient({
    url: url.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${token}` },
    retryAttempts: 0,
    lazy: false,
    onNonLazyError: () => undefined,
    on: {
      closed: (event) => {
        const e = event as { code: number; reason: string };
        onClose?.(e.code, e.reason);
      },
    },
  });
}

function subscribe(
  client: WsClient,
  into: Received,
  variables: Record<string, unknown>,
  query = SUBSCRIPTION,
) {
  return client.subscribe(
    { query, variables },
    {
      next: (value) => void into.push(value as Received[number]),
      error: () => undefined,
      complete: () => undefined,
    },
  );
}

/** Runs `send` with a producer of the test broker's admin (as an agency or a stage would write the topics). */
async function withProducer(clientId: string, send: (producer: Producer) => Promise<unknown>): Promise<void> {
  const producer = new Kafka(testKafkaConfig(clientId)).producer();
  await producer.connect();
  try {
    await send(producer);
  } finally {
    await producer.disconnect();
  }
}

describe('live escalation changes through the gateway', () => {
  let demo: DemoPlatform;
  let platform: RunningPlatform;
  const clients: WsClient[] = [];

  beforeAll(async () => {
    demo = await startDemoPlatform();
    platform = demo.platform;
  });

  afterAll(async () => {
    for (const c of clients) await c.dispose();
    await demo?.stop();
  });

  it('delivers the new escalation to a MASH board over WebSocket and SSE, and nothing to an uninvolved agency', async () => {
    const board: Received = [];
    const secondBoard: Received = [];
    const filtered: Received = [];
    const uninvolved: Received = [];
    const sse: Received = [];
    const officer = wsClient(platform.gatewayUrl, mashOfficer);
    const health = wsClient(platform.gatewayUrl, healthDsl);
    const second = wsClient(platform.gatewayUrl, secondOfficer);
    clients.push(officer, health, second);
    subscribe(officer, board, { p: Demo.partnershipId });
    await eventually(async () => (platform.liveSubscribers() === 1 ? true : undefined), {
      what: 'the first board on the hub',
    });
    subscribe(second, secondBoard, { p: Demo.partnershipId });
    subscribe(
      officer,
      filtered,
      { p: Demo.partnershipId },
      `subscription($p: ID!) { escalationChanged(partnershipId: $p, grounds: [STALLED_PLAN]) { id } }`,
    );
    subscribe(health, uninvolved, { p: Demo.partnershipId });
    const sseClient = createSseClient({
      url: `${platform.gatewayUrl}/stream`,
      headers: { authorization: `Bearer ${mashOfficer}` },
      retryAttempts: 0,
    });
    sseClient.subscribe(
      { query: SUBSCRIPTION, variables: { p: Demo.partnershipId } },
      {
        next: (v) => void sse.push(v as Received[number]),
        error: () => undefined,
        complete: () => undefined,
      },
    );
    await eventually(async () => (platform.liveSubscribers() === 5 ? true : undefined), {
      what: 'five subscribers on the hub',
    });

    await demo.publish(thresholdDisagreementEvents(new Date(), 'live'));

    const first = await eventually(async () => board[0], { what: 'a live message', timeoutMs: 60_000 });
    expect(first.errors).toBeUndefined();
    const change = first.data!.change;
    expect(change).toMatchObject({
      stage: 1,
      status: 'AWAITING_ACKNOWLEDGEMENT',
      raisingAgency: { name: 'Thames Valley Police' },
      receivingAgency: { name: "Milton Keynes Council Children's Services" },
    });
    expect(change.stageOwners.length).toBeGreaterThan(0);
    expect(change.case.subject.identifiers).toContainEqual({
      system: 'police-person-id',
      value: Demo.subject.policePersonId,
    });
    const viaSse = await eventually(async () => sse[0], { what: 'the same message over SSE' });
    expect(viaSse.data!.change).toEqual(change);
    const toSecond = await eventually(async () => secondBoard[0], { what: "the second officer's message" });
    expect(toSecond).toEqual(first);

    // One resolution ran for both officers (as the first to subscribe); each one's read of the escalation and of
    // the case is in the audit trail under their own name and a request id of their own, on the same ground.
    const pg = new Client({ connectionString: demo.db.url });
    await pg.connect();
    try {
      const { rows } = await pg.query<{ service: string; actor: string; request_id: string; ground: string }>(
        `SELECT "service", "actor", "request_id", "ground" FROM "audit"."entry"
          WHERE "action" = 'read' AND "record_type" = 'Escalation' AND "record_id" = $1
            AND "actor" = ANY($2::text[])`,
        [change.id, [Demo.contacts.mashOfficer, 'mash-officer-second']],
      );
      const readers = (actor: string) => rows.filter((r) => r.actor === actor);
      // The first officer also read it for their filtered subscription (a group of its own): compare grounds.
      const grounds = (actor: string) => [...new Set(readers(actor).map((r) => r.ground))];
      expect(readers('mash-officer-second').length).toBeGreaterThan(0);
      expect(grounds('mash-officer-second')).toEqual(grounds(Demo.contacts.mashOfficer));
      const ids = (actor: string) => new Set(readers(actor).map((r) => r.request_id));
      expect([...ids('mash-officer-second')].some((id) => ids(Demo.contacts.mashOfficer).has(id))).toBe(
        false,
      );
      const caseReads = await pg.query<{ actor: string }>(
        `SELECT DISTINCT "actor" FROM "audit"."entry" WHERE "service" = 'cases' AND "action" = 'read'
            AND "request_id" = ANY($1::text[])`,
        [[...ids('mash-officer-second')]],
      );
      expect(caseReads.rows).toEqual([{ actor: 'mash-officer-second' }]);
    } finally {
      await pg.end();
    }

    // Everything published so far has been delivered where it could be; the others got nothing.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(uninvolved).toEqual([]);
    expect(filtered).toEqual([]);
    sseClient.dispose();
  });

  it('refuses a connection without a valid token', async () => {
    let closed: { code: number; reason: string } | undefined;
    const client = wsClient(
      platform.gatewayUrl,
      'not-a-token',
      (code, reason) => (closed = { code, reason }),
    );
    clients.push(client);
    const received: Received = [];
    subscribe(client, received, { p: Demo.partnershipId });
    const result = await eventually(async () => closed, { what: 'the connection to close' });
    expect(result.code).toBe(4403);
  });

  it('closes the connection with TOKEN_EXPIRED when the token runs out', async () => {
    let closed: { code: number; reason: string } | undefined;
    const shortLived = testToken(
      { sub: Demo.contacts.mashOfficer, roles: ['mash-officer'], partnership: Demo.partnershipId },
      2,
    );
    const client = wsClient(platform.gatewayUrl, shortLived, (code, reason) => (closed = { code, reason }));
    clients.push(client);
    subscribe(client, [], { p: Demo.partnershipId });
    const result = await eventually(async () => closed, {
      what: 'the expired connection to close',
      timeoutMs: 10_000,
    });
    expect(result).toEqual({ code: 4401, reason: 'TOKEN_EXPIRED' });
  });

  it('skips and counts a record on its topics that is not a valid message, by code, and stays up', async () => {
    const topic = topics(demo.prefix).escalationEvents;
    const metricsUrl = platform.gatewayUrl.replace(/\/graphql$/, '/metrics');
    const skipped = async (code: string): Promise<number> => {
      const text = await (await fetch(metricsUrl)).text();
      const line = text
        .split('\n')
        .find(
          (l) =>
            l.startsWith('mash_gateway_live_records_skipped_total{') &&
            l.includes(`topic="${topic}"`) &&
            l.includes(`code="${code}"`),
        );
      return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
    };
    await withProducer(`${demo.prefix}malformed`, (producer) =>
      producer.send({
        topic,
        acks: -1,
        messages: [
          { key: 'malformed-1', value: 'not json' },
          { key: 'malformed-2', value: JSON.stringify({ id: 'x', type: 'raised' }) },
        ],
      }),
    );
    await eventually(
      async () =>
        (await skipped('EVENT_NOT_JSON')) === 1 && (await skipped('EVENT_DATA_INVALID')) === 1
          ? true
          : undefined,
      { what: 'both records counted as skipped', timeoutMs: 30_000 },
    );
    const health = await fetch(platform.gatewayUrl.replace(/\/graphql$/, '/health'));
    expect(health.status).toBe(200);
  });

  it('reads each record of a run by its own topic: a run can hold escalation events and notifications', async () => {
    const names = topics(demo.prefix);
    const metricsUrl = platform.gatewayUrl.replace(/\/graphql$/, '/metrics');
    const skipped = async (topic: string): Promise<number> =>
      (await (await fetch(metricsUrl)).text())
        .split('\n')
        .filter(
          (l) => l.startsWith('mash_gateway_live_records_skipped_total{') && l.includes(`topic="${topic}"`),
        )
        .reduce((n, l) => n + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
    const eventsSkippedBefore = await skipped(names.escalationEvents);
    // A valid notification (for nobody subscribed) and a record that is not JSON, in one request, so that one fetch
    // hands both topics' batches to the live consumer at once and it applies them as one run.
    const notification = {
      id: randomUUID(),
      recipientId: randomUUID(),
      partnershipId: Demo.partnershipId,
      escalationId: randomUUID(),
      eventId: 'e2e-mixed-run',
      eventType: 'raised',
      reason: 'raiser',
      stage: 1,
      message: 'An escalation you raised was opened.',
      immediateRisk: false,
      at: '2026-11-20T10:31:00.000Z',
    };
    await withProducer(`${demo.prefix}mixed`, (producer) =>
      producer.sendBatch({
        acks: -1,
        topicMessages: [
          {
            topic: names.notifications,
            messages: [{ key: notification.recipientId, value: JSON.stringify(notification) }],
          },
          { topic: names.escalationEvents, messages: [{ key: 'mixed-1', value: 'not json' }] },
        ],
      }),
    );
    await eventually(
      async () => ((await skipped(names.escalationEvents)) === eventsSkippedBefore + 1 ? true : undefined),
      { what: 'the record that is not JSON counted as skipped', timeoutMs: 30_000 },
    );
    // The notification was read as a notification, not as an escalation event of the run's first record's topic.
    expect(await skipped(names.notifications)).toBe(0);
  });
});
