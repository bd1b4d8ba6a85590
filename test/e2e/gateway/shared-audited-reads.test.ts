import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { Demo } from '@mash/schema';
import { thresholdDisagreementEvents } from '../../../scripts/lib/demo-events';
import type { RunningPlatform } from '../../../scripts/lib/platform';
import { startDemoPlatform, type DemoPlatform } from '@test/support/demo-platform';
import { testToken } from '@test/support/auth';
import { eventually, gql, type GraphQLResponse } from '@test/support/gateway-client';
import { chair, mashOfficer } from '@test/support/demo-callers';

// Identical board queries in flight at once for one token share one execution at the gateway, and queries that
// differ only in their text (here: trailing spaces) still share one call to cases and to escalations; either way
// every request's read is in the audit trail, one row per record per request, as if each had called. The gates
// are advisory locks that the audit trail's inserts of one service wait for (a trigger this test installs), so
// the leading call stays in flight until the other requests have joined it.

const BOARD =
  'query Board($p: ID!) { escalations(partnershipId: $p) { nodes { id ground stage status ' +
  'raisingAgency { name } receivingAgency { name } stageOwners { name role } ' +
  'case { subject { identifiers { system value } } } } } }';

const GATE = { escalations: 71_001, cases: 71_002 } as const;
type Audited = keyof typeof GATE;

interface Board {
  escalations: { nodes: { id: string }[] };
}

interface EntryRow {
  request_id: string;
  service: string;
  actor: string;
  actor_agency_id: string | null;
  actor_partnership_id: string | null;
  actor_roles: string[];
  action: string;
  record_type: string;
  record_id: string;
  fields: string[];
  data_subject_id: string | null;
  ground: string;
  outcome: string;
}

describe('shared calls to the audited subgraphs', () => {
  let demo: DemoPlatform;
  let platform: RunningPlatform;
  let pg: Client;
  /** Holds the gates (session advisory locks). */
  let gatekeeper: Client;
  let metricsUrl: string;
  let expected: GraphQLResponse<Board>;

  /** A series of the gateway's /metrics: the named metric whose labels include `label` (it carries `service` too). */
  async function metric(name: string, label = ''): Promise<number> {
    const text = await (await fetch(metricsUrl)).text();
    const line = text
      .split('\n')
      .find((l) => (l.startsWith(`${name}{`) || l.startsWith(`${name} `)) && l.includes(label));
    return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
  }
  const calls = (s: Audited) => metric('mash_gateway_subgraph_calls_total', `subgraph="${s}"`);
  const waiting = (s: Audited) => metric('mash_gateway_subgraph_shared_waiting', `subgraph="${s}"`);
  const operationsWaiting = () => metric('mash_gateway_operations_shared_waiting');

  async function until(what: string, probe: () => Promise<boolean>): Promise<void> {
    try {
      await eventually(async () => ((await probe()) ? true : undefined), {
        what,
        timeoutMs: 20_000,
        intervalMs: 25,
      });
    } catch (err) {
      const text = await (await fetch(metricsUrl)).text();
      const ours = text.split('\n').filter((l) => l.startsWith('mash_gateway_'));
      throw new Error(`${(err as Error).message}\n${ours.join('\n')}`, { cause: err });
    }
  }

  const close = (gate: Audited) => gatekeeper.query('SELECT pg_advisory_lock($1)', [GATE[gate]]);
  const open = (gate: Audited) => gatekeeper.query('SELECT pg_advisory_unlock($1)', [GATE[gate]]);

  /** The board query; `variant` trailing spaces make a request that the gateway executes apart from the others. */
  async function board(token: string, requestId: string, variant = 0): Promise<GraphQLResponse<Board>> {
    const res = await fetch(platform.gatewayUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${token}`,
        'x-request-id': requestId,
      },
      body: JSON.stringify({ query: BOARD + ' '.repeat(variant), variables: { p: Demo.partnershipId } }),
    });
    return { status: res.status, ...((await res.json()) as Omit<GraphQLResponse<Board>, 'status'>) };
  }

  async function entriesOf(requestId: string, service: Audited): Promise<EntryRow[]> {
    const { rows } = await pg.query<EntryRow>(
      `SELECT "request_id", "service", "actor", "actor_agency_id", "actor_partnership_id", "actor_roles", "action",
         "record_type", "record_id", "fields", "data_subject_id", "ground", "outcome"
       FROM "audit"."entry" WHERE "request_id" = $1 AND "service" = $2
       ORDER BY "record_type", "record_id", "action", "ground"`,
      [requestId, service],
    );
    return rows;
  }

  /** What a request's rows say, apart from which request they belong to. */
  const content = (rows: EntryRow[]) => rows.map(({ request_id: _, ...rest }) => rest);

  beforeAll(async () => {
    demo = await startDemoPlatform();
    platform = demo.platform;
    pg = new Client({ connectionString: demo.db.url });
    await pg.connect();
    gatekeeper = new Client({ connectionString: demo.db.url });
    await gatekeeper.connect();
    await demo.publish(thresholdDisagreementEvents(new Date(), 'shared-reads'));
    await eventually(
      async () => {
        const res = await gql<Board>(platform.gatewayUrl, BOARD, { p: Demo.partnershipId }, mashOfficer);
        if (res.errors) throw new Error(JSON.stringify(res.errors));
        return res.data && res.data.escalations.nodes.length > 0 ? res : undefined;
      },
      { what: 'an escalation on the board', timeoutMs: 60_000 },
    );
    await demo.settled();
    expected = await board(mashOfficer, randomUUID());
    expect(expected.errors).toBeUndefined();
    metricsUrl = platform.gatewayUrl.replace(/\/graphql$/, '/metrics');
    // The gates: an audit insert of a service waits while the test holds its lock; a joiner's request id that
    // starts with `unrecordable-` cannot be written.
    await pg.query(`CREATE FUNCTION "audit"."test_gate"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW."service" = 'escalations' THEN PERFORM pg_advisory_xact_lock_shared(${GATE.escalations}); END IF;
        IF NEW."service" = 'cases' THEN PERFORM pg_advisory_xact_lock_shared(${GATE.cases}); END IF;
        IF NEW."request_id" LIKE 'unrecordable-%' THEN RAISE EXCEPTION 'the trail cannot be written'; END IF;
        RETURN NEW;
      END $$`);
    await pg.query(`CREATE TRIGGER "test_gate" BEFORE INSERT ON "audit"."entry"
      FOR EACH ROW EXECUTE FUNCTION "audit"."test_gate"()`);
  }, 180_000);

  // A failed test must not leave a gate closed for the next.
  afterEach(async () => {
    await gatekeeper.query('SELECT pg_advisory_unlock_all()');
  });

  afterAll(async () => {
    await gatekeeper?.end();
    await pg?.end();
    await demo?.stop();
  });

  /** Each service's rows of every request: identical but for the request id, the mash officer's, allowed. */
  async function expectSameReads(ids: readonly string[]): Promise<void> {
    for (const service of ['escalations', 'cases'] as const) {
      const rows: EntryRow[][] = [];
      for (const id of ids) rows.push(await entriesOf(id, service));
      const [first] = rows;
      expect(first!.length).toBeGreaterThan(0);
      expect(first!.every((r) => r.actor === Demo.contacts.mashOfficer && r.outcome === 'allowed')).toBe(
        true,
      );
      for (const [i, own] of rows.entries()) {
        expect(own.every((r) => r.request_id === ids[i])).toBe(true);
        expect(content(own)).toEqual(content(first!));
      }
    }
    // One row per escalation on the board, per request.
    const escalationRows = await entriesOf(ids[0]!, 'escalations');
    expect(
      escalationRows
        .filter((r) => r.record_type === 'Escalation')
        .map((r) => r.record_id)
        .sort(),
    ).toEqual(expected.data!.escalations.nodes.map((n) => n.id).sort());
  }

  it("records other people of the caller's access scope, each under their own name, and refuses any other", async () => {
    const leader = randomUUID();
    const answer = await board(mashOfficer, leader);
    expect(answer).toEqual(expected);
    const colleague = testToken({
      sub: 'mash-officer-colleague',
      roles: ['mash-officer'],
      partnership: Demo.partnershipId,
      agency: Demo.agencies.laChildren,
    });
    const readers = [
      { requestId: `colleague-${leader}`, token: colleague },
      // The chair sees the whole partnership, but on another ground: the officer's decisions are not the chair's.
      { requestId: `chair-${leader}`, token: chair },
      { requestId: `forged-${leader}`, token: `${colleague.slice(0, -4)}AAAA` },
    ];
    const res = await fetch(new URL('/audit/shared-reads', platform.subgraphUrls.escalations), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${mashOfficer}` },
      body: JSON.stringify({ leaderRequestId: leader, readers }),
    });
    const leaderRows = await entriesOf(leader, 'escalations');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      copied: leaderRows.length,
      refusedReaders: [`chair-${leader}`, `forged-${leader}`],
    });
    const colleagueRows = await entriesOf(`colleague-${leader}`, 'escalations');
    expect(colleagueRows.map(({ request_id: _, actor, ...rest }) => ({ ...rest, actor }))).toEqual(
      content(leaderRows).map((r) => ({ ...r, actor: 'mash-officer-colleague' })),
    );
    expect(await entriesOf(`chair-${leader}`, 'escalations')).toEqual([]);
    expect(await entriesOf(`forged-${leader}`, 'escalations')).toEqual([]);

    // Each reader needs a request id of their own, and not the leader's.
    const reused = await fetch(new URL('/audit/shared-reads', platform.subgraphUrls.escalations), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${mashOfficer}` },
      body: JSON.stringify({ leaderRequestId: leader, readers: [{ requestId: leader, token: colleague }] }),
    });
    expect(reused.status).toBe(400);
    expect(
      ((await reused.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code,
    ).toBe('BAD_USER_INPUT');

    // Another person cannot have the officer's reads copied to them with their own token.
    const stolen = await fetch(new URL('/audit/shared-reads', platform.subgraphUrls.escalations), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${colleague}` },
      body: JSON.stringify({
        leaderRequestId: leader,
        readers: [{ requestId: randomUUID(), token: colleague }],
      }),
    });
    expect(stolen.status).toBe(403);
  });

  it('executes five identical board queries of one token once, and audits all five reads alike', async () => {
    const before = { escalations: await calls('escalations'), cases: await calls('cases') };
    const ids = Array.from({ length: 5 }, () => randomUUID());
    await close('escalations');
    const answers = Promise.all(ids.map((id) => board(mashOfficer, id)));
    await until('four requests waiting on the first', async () => (await operationsWaiting()) === 4);
    await open('escalations');
    for (const answer of await answers) expect(answer).toEqual(expected);
    expect((await calls('escalations')) - before.escalations).toBe(1);
    expect((await calls('cases')) - before.cases).toBe(1);
    await expectSameReads(ids);
  });

  it('withholds the answer (INTERNAL, no data) from requests sharing an execution whose reads cannot be recorded', async () => {
    const before = await calls('escalations');
    const leaderId = randomUUID();
    const joinerIds = [`unrecordable-${randomUUID()}`, `unrecordable-${randomUUID()}`];
    await close('escalations');
    const leader = board(mashOfficer, leaderId);
    await until('the leading call in flight', async () => (await calls('escalations')) - before === 1);
    const joiners = Promise.all(joinerIds.map((id) => board(mashOfficer, id)));
    await until('two requests waiting on it', async () => (await operationsWaiting()) === 2);
    await open('escalations');
    expect(await leader).toEqual(expected);
    for (const joiner of await joiners) {
      expect(joiner).toEqual({
        status: 500,
        errors: [
          {
            message: 'An unexpected fault; it has been logged.',
            extensions: { code: 'INTERNAL', retriable: true },
          },
        ],
      });
    }
    for (const id of joinerIds) {
      expect(await entriesOf(id, 'escalations')).toEqual([]);
      expect(await entriesOf(id, 'cases')).toEqual([]);
    }
  });

  it('makes one call to each for five board queries that differ only in their text, and audits all five reads alike', async () => {
    const before = { escalations: await calls('escalations'), cases: await calls('cases') };
    const ids = Array.from({ length: 5 }, () => randomUUID());
    await close('escalations');
    await close('cases');
    const answers = Promise.all(ids.map((id, i) => board(mashOfficer, id, i)));
    await until(
      'four requests waiting on the escalations call',
      async () => (await waiting('escalations')) === 4,
    );
    await open('escalations');
    await until('four requests waiting on the cases call', async () => (await waiting('cases')) === 4);
    await open('cases');
    for (const answer of await answers) expect(answer).toEqual(expected);

    expect((await calls('escalations')) - before.escalations).toBe(1);
    expect((await calls('cases')) - before.cases).toBe(1);
    await expectSameReads(ids);
  });

  it('never shares a call between two tokens', async () => {
    const before = await calls('escalations');
    const otherToken = testToken(
      {
        sub: Demo.contacts.mashOfficer,
        roles: ['mash-officer'],
        partnership: Demo.partnershipId,
        agency: Demo.agencies.laChildren,
      },
      300,
    );
    await close('escalations');
    const answers = Promise.all([
      board(mashOfficer, randomUUID()),
      board(chair, randomUUID()),
      board(otherToken, randomUUID()),
    ]);
    await until('three escalations calls in flight', async () => (await calls('escalations')) - before === 3);
    expect(await waiting('escalations')).toBe(0);
    await open('escalations');
    const [a, b, c] = await answers;
    expect(a).toEqual(expected);
    expect(b!.errors).toBeUndefined();
    expect(c).toEqual(expected);
  });

  it('gives a refused token its own coded error, and the others their answer', async () => {
    const expired = testToken(
      { sub: Demo.contacts.mashOfficer, roles: ['mash-officer'], partnership: Demo.partnershipId },
      -60,
    );
    const [a, refused, b] = await Promise.all([
      board(mashOfficer, randomUUID()),
      board(expired, randomUUID()),
      board(mashOfficer, randomUUID()),
    ]);
    expect(a).toEqual(expected);
    expect(b).toEqual(expected);
    expect(refused.status).toBe(401);
    expect(refused.data).toBeUndefined();
    expect(refused.errors?.map((e) => e.extensions?.['code'])).toEqual(['TOKEN_EXPIRED']);
  });

  it('withholds the answer (INTERNAL, no data) from requests sharing a call whose reads cannot be recorded', async () => {
    const before = await calls('escalations');
    const leaderId = randomUUID();
    const joinerIds = [`unrecordable-${randomUUID()}`, `unrecordable-${randomUUID()}`];
    await close('escalations');
    const leader = board(mashOfficer, leaderId);
    await until('the leading call in flight', async () => (await calls('escalations')) - before === 1);
    const joiners = Promise.all(joinerIds.map((id, i) => board(mashOfficer, id, i + 1)));
    await until('two requests waiting on it', async () => (await waiting('escalations')) === 2);
    await open('escalations');
    expect(await leader).toEqual(expected);
    for (const joiner of await joiners) {
      expect(joiner).toEqual({
        status: 200,
        data: null,
        errors: [
          {
            message: 'An unexpected fault; it has been logged.',
            extensions: { code: 'INTERNAL', retriable: true, serviceName: 'escalations' },
          },
        ],
      });
    }
    for (const id of joinerIds) expect(await entriesOf(id, 'escalations')).toEqual([]);
    expect((await entriesOf(leaderId, 'escalations')).length).toBeGreaterThan(0);
  });

  describe('POST /audit/shared-reads', () => {
    const sharedReadsUrl = () =>
      platform.subgraphUrls.escalations.replace(/\/graphql$/, '/audit/shared-reads');
    const record = (token: string | undefined, body: unknown) =>
      fetch(sharedReadsUrl(), {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(token !== undefined && { authorization: `Bearer ${token}` }),
        },
        body: JSON.stringify(body),
      });

    it("refuses a token whose subject is not the leading request's actor, and copies nothing", async () => {
      const leaderId = randomUUID();
      expect((await board(mashOfficer, leaderId)).errors).toBeUndefined();
      const joinerId = randomUUID();
      const res = await record(chair, { leaderRequestId: leaderId, joinerRequestIds: [joinerId] });
      expect(res.status).toBe(403);
      expect(await res.json()).toEqual({
        errors: [
          {
            message: 'The leading request’s reads are not this caller’s.',
            extensions: { code: 'FORBIDDEN', retriable: false },
          },
        ],
      });
      expect(await entriesOf(joinerId, 'escalations')).toEqual([]);
    });

    it('refuses a call without a valid token, or with a body of the wrong shape', async () => {
      const unauthenticated = await record(undefined, { leaderRequestId: 'x', joinerRequestIds: ['y'] });
      expect(unauthenticated.status).toBe(401);
      expect(
        ((await unauthenticated.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!
          .extensions.code,
      ).toBe('UNAUTHENTICATED');
      const malformed = await record(mashOfficer, { leaderRequestId: 'x', joinerRequestIds: [] });
      expect(malformed.status).toBe(400);
      expect(
        ((await malformed.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions
          .code,
      ).toBe('BAD_USER_INPUT');
    });

    it("copies the leader's rows for its own caller, one set per joiner", async () => {
      const leaderId = randomUUID();
      expect((await board(mashOfficer, leaderId)).errors).toBeUndefined();
      const joinerIds = [randomUUID(), randomUUID()];
      const leaderRows = await entriesOf(leaderId, 'escalations');
      const res = await record(mashOfficer, { leaderRequestId: leaderId, joinerRequestIds: joinerIds });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ copied: leaderRows.length * 2 });
      for (const id of joinerIds)
        expect(content(await entriesOf(id, 'escalations'))).toEqual(content(leaderRows));
    });
  });
});
