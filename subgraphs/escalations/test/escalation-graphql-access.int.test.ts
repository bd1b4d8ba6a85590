import {
  PARTNERSHIP,
  POLICE,
  LA,
  HEALTH,
  CASE,
  mashOfficer,
  integrator,
  laHeadOfService,
  laPractitioner,
  policeHeadOfService,
  policePractitioner,
  auditor,
  healthPractitioner,
  position,
  caseEvent,
  laUniversalNfa,
  laEvent,
  policeEvent,
  policeHighRisk,
  policeRiskEvent,
} from '@test/support/fixtures/escalations';
import { escalationsOf, historyOf, escalationsOnBroker } from '@test/support/fixtures/escalations-harness';
import { eventually, gql } from '@test/support/gateway-client';

// Integration: who may read, acknowledge and resolve an escalation, over GraphQL, on the real service; and the
// history that no one may rewrite.

describe('an escalation read and moved over GraphQL', () => {
  const h = escalationsOnBroker('2026-06-01T09:00:00.000Z');
  const { clock, published, send, caughtUp } = h;
  let escalationId: string;

  /** The escalation of the stages test: raised, joined by the police risk assessment, now at stage 3. */
  beforeAll(async () => {
    const atStage = (stage: number) =>
      eventually(
        async () => {
          const rows = await escalationsOf(h.service.dataSource, CASE);
          return rows[0]?.stage === stage ? rows[0] : undefined;
        },
        { what: `stage ${stage}` },
      );
    await send(laEvent, policeEvent);
    await caughtUp();
    clock.set('2026-06-01T13:30:00.000Z');
    escalationId = (await atStage(1)).id;
    await send(policeRiskEvent);
    await caughtUp();
    clock.set('2026-06-03T13:31:00.000Z');
    await atStage(2);
    clock.set('2026-06-10T13:32:00.000Z');
    await atStage(3);
  });

  const ESCALATION = /* GraphQL */ `
    query Escalation($id: ID!) {
      escalation(id: $id) {
        id
        ground
        stage
        status
        autoRaised
        immediateRisk
        stageOwnerRoles
        stageDeadline
        case {
          id
        }
        raisingAgency {
          id
        }
        receivingAgency {
          id
        }
        partnership {
          id
        }
        evidence {
          id
        }
        history {
          at
          fromStage
          toStage
          fromStatus
          toStatus
          actor
          rationale
        }
      }
    }
  `;

  it('answers a MASH officer over GraphQL with the escalation and its history', async () => {
    const res = await gql<{ escalation: Record<string, unknown> & { history: unknown[] } }>(
      h.service.url,
      ESCALATION,
      { id: escalationId },
      mashOfficer,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data?.escalation).toMatchObject({
      id: escalationId,
      ground: 'THRESHOLD_DISAGREEMENT',
      stage: 3,
      status: 'AWAITING_ACKNOWLEDGEMENT',
      autoRaised: true,
      immediateRisk: false,
      stageOwnerRoles: ['head-of-service'],
      stageDeadline: '2026-06-12T13:32:00.000Z',
      case: { id: CASE },
      raisingAgency: { id: POLICE },
      receivingAgency: { id: LA },
      partnership: { id: PARTNERSHIP },
    });
    expect(res.data?.escalation['evidence']).toHaveLength(3);
    expect(res.data?.escalation.history).toEqual([
      expect.objectContaining({ fromStage: null, toStage: 1, fromStatus: null, actor: 'system' }),
      expect.objectContaining({ fromStage: 1, toStage: 2, toStatus: 'AWAITING_ACKNOWLEDGEMENT' }),
      expect.objectContaining({ fromStage: 2, toStage: 3 }),
    ]);
    const list = await gql<{ escalations: { nodes: { id: string }[] } }>(
      h.service.url,
      `query { escalations(partnershipId: "${PARTNERSHIP}", status: AWAITING_ACKNOWLEDGEMENT) { nodes { id } } }`,
      {},
      mashOfficer,
    );
    expect(list.data?.escalations.nodes).toEqual([{ id: escalationId }]);
  });

  it('lists to an agency caller only the escalations its agency raised or received', async () => {
    const LIST = `query { escalations(partnershipId: "${PARTNERSHIP}") { nodes { id } } }`;
    const police = await gql<{ escalations: { nodes: { id: string }[] } }>(
      h.service.url,
      LIST,
      {},
      policePractitioner,
    );
    expect(police.errors).toBeUndefined();
    expect(police.data?.escalations.nodes).toEqual([{ id: escalationId }]);
    const health = await gql<{ escalations: { nodes: { id: string }[] } }>(
      h.service.url,
      LIST,
      {},
      healthPractitioner,
    );
    expect(health.errors).toBeUndefined();
    expect(health.data?.escalations.nodes).toEqual([]);
  });

  it.each([
    ['an agency integrator', integrator],
    ['an auditor of the receiving agency', auditor],
  ])('answers %s with FORBIDDEN for reads and moves', async (_who, caller) => {
    const one = await gql(h.service.url, ESCALATION, { id: escalationId }, caller);
    expect(one.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
    const several = await gql(
      h.service.url,
      `query($ids: [ID!]!) { escalationsByIds(ids: $ids) { id } }`,
      { ids: [escalationId] },
      caller,
    );
    expect(several.data).toEqual({ escalationsByIds: [null] });
    expect(several.errors?.map((e) => [e.path, e.extensions?.['code']])).toEqual([
      [['escalationsByIds', 0], 'FORBIDDEN'],
    ]);
    const list = await gql(
      h.service.url,
      `query { escalations(partnershipId: "${PARTNERSHIP}") { nodes { id } } }`,
      {},
      caller,
    );
    expect(list.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
    const ack = await gql(
      h.service.url,
      `mutation($id: ID!) { acknowledgeEscalation(id: $id, rationale: "Seen.") { status } }`,
      { id: escalationId },
      caller,
    );
    expect(ack.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
  });

  it('lets the owners of the stage in the receiving agency acknowledge and either agency resolve, recording each move', async () => {
    const ACK = `mutation($id: ID!) { acknowledgeEscalation(id: $id, rationale: "Meeting booked.") { status } }`;
    // Stage 3 belongs to the heads of service: the other agency's is refused, and so is a practitioner of the right one.
    const wrongAgency = await gql(h.service.url, ACK, { id: escalationId }, policeHeadOfService);
    expect(wrongAgency.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
    const wrongRole = await gql(h.service.url, ACK, { id: escalationId }, laPractitioner);
    expect(wrongRole.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
    const ack = await gql<{ acknowledgeEscalation: { status: string } }>(
      h.service.url,
      ACK,
      { id: escalationId },
      laHeadOfService,
    );
    expect(ack.data?.acknowledgeEscalation.status).toBe('IN_DISCUSSION');
    const again = await gql(h.service.url, ACK, { id: escalationId }, laHeadOfService);
    expect(again.errors?.[0]?.extensions?.['code']).toBe('INVALID_TRANSITION');
    const resolved = await gql<{
      resolveEscalation: { status: string; outcome: string; outstandingIssues: string; resolvedAt: string };
    }>(
      h.service.url,
      `mutation($id: ID!) {
        resolveEscalation(id: $id, outcome: AGREED_ACTION_PLAN, outstandingIssues: "Strategy discussion convened",
          rationale: "Agreed at the meeting.") {
          status outcome outstandingIssues resolvedAt
        }
      }`,
      { id: escalationId },
      policeHeadOfService,
    );
    expect(resolved.data?.resolveEscalation).toEqual({
      status: 'RESOLVED',
      outcome: 'AGREED_ACTION_PLAN',
      outstandingIssues: 'Strategy discussion convened',
      resolvedAt: '2026-06-10T13:32:00.000Z',
    });
    const history = await historyOf(h.service.dataSource, escalationId);
    expect(history.slice(-2)).toEqual([
      expect.objectContaining({ actor: 'contact:la-head', to_status: 'IN_DISCUSSION' }),
      expect.objectContaining({ actor: 'contact:police-head', to_status: 'RESOLVED' }),
    ]);
    await eventually(
      async () => {
        const types = published.filter((m) => m.escalationId === escalationId).map((m) => m.type);
        return types.includes('resolved') ? types : undefined;
      },
      { what: 'the resolved event' },
    );
  });

  it('answers escalationsByIds in the order asked, each id as escalation(id) would, its error at its index', async () => {
    const BY_IDS = `query($ids: [ID!]!) { escalationsByIds(ids: $ids) { id stage raisingAgency { id } } }`;
    const missing = '7d1f0c4e-0000-4000-8000-00000000fffe';
    const officer = await gql<{ escalationsByIds: unknown[] }>(
      h.service.url,
      BY_IDS,
      { ids: [missing, escalationId, 'not-an-id'] },
      mashOfficer,
    );
    expect(officer.data).toEqual({
      escalationsByIds: [null, { id: escalationId, stage: 3, raisingAgency: { id: POLICE } }, null],
    });
    expect(officer.errors?.map((e) => [e.path, e.extensions?.['code']])).toEqual([
      [['escalationsByIds', 0], 'NOT_FOUND'],
      [['escalationsByIds', 2], 'NOT_FOUND'],
    ]);
    // Health is no party to it: refused at its index, as escalation(id) refuses it.
    const health = await gql<{ escalationsByIds: unknown[] }>(
      h.service.url,
      BY_IDS,
      { ids: [escalationId] },
      healthPractitioner,
    );
    expect(health.data).toEqual({ escalationsByIds: [null] });
    expect(health.errors?.map((e) => [e.path, e.extensions?.['code']])).toEqual([
      [['escalationsByIds', 0], 'FORBIDDEN'],
    ]);
    const none = await gql(h.service.url, BY_IDS, { ids: [] }, mashOfficer);
    expect(none.errors).toBeUndefined();
    expect(none.data).toEqual({ escalationsByIds: [] });
    const tooMany = await gql(
      h.service.url,
      BY_IDS,
      { ids: Array.from({ length: 101 }, () => escalationId) },
      mashOfficer,
    );
    expect(tooMany.data).toBeNull();
    expect(tooMany.errors?.map((e) => e.extensions?.['code'])).toEqual(['BAD_USER_INPUT']);
  });

  it('answers NOT_FOUND for an escalation that does not exist', async () => {
    const res = await gql(
      h.service.url,
      ESCALATION,
      { id: '7d1f0c4e-0000-4000-8000-00000000ffff' },
      mashOfficer,
    );
    expect(res.errors?.[0]?.extensions?.['code']).toBe('NOT_FOUND');
  });

  it('does not raise again a disagreement already resolved on the same evidence', async () => {
    // An unrelated status change: the police and the local authority still disagree exactly as before.
    const healthSeen = position(HEALTH, { riskLevel: 'medium', riskStatusChangeId: 'sc-health-1' });
    await send(
      caseEvent(CASE, 'sc-health-1', HEALTH, 'risk-assessment', { riskLevel: 'medium' }, [
        laUniversalNfa,
        policeHighRisk,
        healthSeen,
      ]),
    );
    await caughtUp();
    // Settled at once by the engine: the timer that raised it is not armed again, and nothing is raised.
    const key = `grace:${CASE}:threshold-disagreement:${POLICE}:${LA}`;
    const timers = (await h.service.dataSource.query(
      `SELECT "due_at", "fired_at" FROM "escalations"."timer" WHERE "key" = $1`,
      [key],
    )) as { due_at: Date; fired_at: Date | null }[];
    expect(timers).toEqual([
      { due_at: new Date('2026-06-01T13:00:00.000Z'), fired_at: new Date('2026-06-01T13:30:00.000Z') },
    ]);
    await new Promise((r) => setTimeout(r, 300)); // give the scheduler a few runs
    const open = (await escalationsOf(h.service.dataSource, CASE)).filter((e) => e.status !== 'RESOLVED');
    expect(open).toEqual([]);
    expect(await escalationsOf(h.service.dataSource, CASE)).toHaveLength(1);
  });

  it('refuses to rewrite the history: UPDATE and DELETE on escalation_transition fail', async () => {
    await expect(
      h.service.dataSource.query(
        `UPDATE "escalations"."escalation_transition" SET "rationale" = 'rewritten'`,
      ),
    ).rejects.toThrow(/append-only/);
    await expect(
      h.service.dataSource.query(`DELETE FROM "escalations"."escalation_transition"`),
    ).rejects.toThrow(/append-only/);
    await expect(
      h.service.dataSource.query(`TRUNCATE "escalations"."escalation_transition" CASCADE`),
    ).rejects.toThrow(/append-only/);
  });
});
