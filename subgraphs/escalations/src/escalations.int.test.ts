import { Kafka, logLevel, type Admin, type Consumer, type Producer } from 'kafkajs';
import {
  openDatabase,
  silentLogger,
  type AgencyDirectory,
  type DataSource,
  type ServiceConfig,
} from '@mash/service-kit';
import {
  topics,
  type AgencyPositionSnapshot,
  type CaseEventMessage,
  type EscalationEventMessage,
  type EscalationPolicy,
  type StatusChangeKind,
  type StatusFacts,
} from '@mash/schema';
import { testToken } from '../../../test/support/auth';
import { groupCaughtUp } from '../../../test/support/consumer-lag';
import { createTestDatabase, type TestDatabase } from '../../../test/support/database';
import { eventually, gql } from '../../../test/support/gateway-client';
import { testBrokers, uniquePrefix } from '../../../test/support/kafka';
import { testServiceConfig } from '../../../test/support/service-config';
import { addTimescale } from './domain/calendar';
import { englandAndWalesCalendar } from './domain/calendars';
import type { Clock } from './domain/model';
import { EscalationEngine } from './services/engine.service';
import { entities } from './entities/index';
import { startEscalationsService, type RunningEscalationsService } from './start';
import { migrations } from './migrations';
import { ClockScheduler, type FireOutcome } from './jobs/scheduler';

// Integration: the real service on a real Kafka broker (KAFKA_BROKERS) and a throwaway Postgres database with
// the real migrations. Policies come from a static in-test directory; time from a clock the test moves.

const PARTNERSHIP = '7d1f0c4e-0000-4000-8000-000000000001';
const POLICE = '7d1f0c4e-0000-4000-8000-0000000000a1';
const LA = '7d1f0c4e-0000-4000-8000-0000000000a2';
const HEALTH = '7d1f0c4e-0000-4000-8000-0000000000a3';
const CASE = '7d1f0c4e-0000-4000-8000-0000000000c1';

const policy: EscalationPolicy = {
  calendar: 'england-and-wales',
  stages: [
    {
      stage: 1,
      name: 'Practitioners',
      ownerRoles: ['practitioner'],
      timescale: { amount: 2, unit: 'working-days' },
      immediateRiskTimescale: { amount: 4, unit: 'hours' },
    },
    {
      stage: 2,
      name: 'Line managers',
      ownerRoles: ['line-manager', 'designated-safeguarding-lead'],
      timescale: { amount: 5, unit: 'working-days' },
      immediateRiskTimescale: null,
    },
    {
      stage: 3,
      name: 'Heads of service',
      ownerRoles: ['head-of-service'],
      timescale: { amount: 2, unit: 'calendar-days' },
      immediateRiskTimescale: null,
    },
    {
      stage: 4,
      name: 'Partnership',
      ownerRoles: ['partnership-chair'],
      timescale: null,
      immediateRiskTimescale: null,
    },
  ],
  triggers: {
    thresholdDisagreement: {
      enabled: true,
      minimumSteps: 2,
      highRiskNoFurtherAction: true,
      gracePeriod: { amount: 4, unit: 'hours' },
    },
  },
};

const directory: AgencyDirectory = {
  sourceSystem: async () => null,
  policy: async (id) => {
    if (id !== PARTNERSHIP) throw new Error(`no policy for ${id}`);
    return policy;
  },
};

/** A clock the test moves by hand. */
class TestClock implements Clock {
  constructor(private current: Date) {}
  now(): Date {
    return this.current;
  }
  set(iso: string): void {
    this.current = new Date(iso);
  }
}

const mashOfficer = testToken({
  sub: 'contact:mash-officer',
  roles: ['mash-officer'],
  partnership: PARTNERSHIP,
});
const integrator = testToken({
  sub: 'integrator:police',
  roles: ['agency-integrator'],
  agency: POLICE,
  partnership: PARTNERSHIP,
});
const laPractitioner = testToken({
  sub: 'contact:la-social-worker',
  roles: ['practitioner'],
  agency: LA,
  partnership: PARTNERSHIP,
});
const policePractitioner = testToken({
  sub: 'contact:police-officer',
  roles: ['practitioner'],
  agency: POLICE,
  partnership: PARTNERSHIP,
});
const auditor = testToken({
  sub: 'contact:auditor',
  roles: ['auditor'],
  agency: LA,
  partnership: PARTNERSHIP,
});
const healthPractitioner = testToken({
  sub: 'contact:health-visitor',
  roles: ['practitioner'],
  agency: HEALTH,
  partnership: PARTNERSHIP,
});

// --- case events, as the cases service publishes them ---------------------------------------------------------

function position(agencyId: string, p: Partial<AgencyPositionSnapshot>): AgencyPositionSnapshot {
  return {
    agencyId,
    threshold: null,
    thresholdStatusChangeId: null,
    riskLevel: null,
    riskStatusChangeId: null,
    referralOutcome: null,
    referralStatusChangeId: null,
    asOf: '2026-06-01T09:00:00.000Z',
    ...p,
  };
}

function caseEvent(
  caseId: string,
  statusChangeId: string,
  agencyId: string,
  kind: StatusChangeKind,
  facts: StatusFacts,
  positions: AgencyPositionSnapshot[],
): CaseEventMessage {
  return {
    statusChange: {
      id: statusChangeId,
      eventId: `event-${statusChangeId}`,
      source: 'urn:mash:source:test',
      type: 'uk.mash.test.v1',
      family: 'police',
      partnershipId: PARTNERSHIP,
      agencyId,
      sourceSystemId: 'source-system',
      subject: { system: 'police-person-id', value: 'P-1' },
      kind,
      facts,
      summary: 'A status change.',
      occurredAt: '2026-06-01T09:00:00.000Z',
      receivedAt: '2026-06-01T09:00:00.000Z',
    },
    case: {
      id: caseId,
      partnershipId: PARTNERSHIP,
      subjectId: 'subject-1',
      status: 'open',
      involvements: positions.map((p) => ({ agencyId: p.agencyId, open: true })),
      positions,
    },
  };
}

const laUniversalNfa = position(LA, {
  threshold: 'universal',
  thresholdStatusChangeId: 'sc-la-1',
  referralOutcome: 'no-further-action',
  referralStatusChangeId: 'sc-la-1',
});
const policeChildProtection = position(POLICE, {
  threshold: 'child-protection',
  thresholdStatusChangeId: 'sc-police-1',
});
const laEvent = caseEvent(
  CASE,
  'sc-la-1',
  LA,
  'referral-outcome',
  { threshold: 'universal', referralOutcome: 'no-further-action' },
  [laUniversalNfa],
);
const policeEvent = caseEvent(
  CASE,
  'sc-police-1',
  POLICE,
  'threshold-judgement',
  { threshold: 'child-protection' },
  [laUniversalNfa, policeChildProtection],
);
const policeHighRisk = position(POLICE, {
  threshold: 'child-protection',
  thresholdStatusChangeId: 'sc-police-1',
  riskLevel: 'high',
  riskStatusChangeId: 'sc-police-2',
  asOf: '2026-06-01T15:00:00.000Z',
});
const policeRiskEvent = caseEvent(CASE, 'sc-police-2', POLICE, 'risk-assessment', { riskLevel: 'high' }, [
  laUniversalNfa,
  policeHighRisk,
]);

// --- database reads ----------------------------------------------------------------------------------------------

interface EscalationRow {
  id: string;
  stage: number;
  status: string;
  auto_raised: boolean;
  raised_at: Date;
  stage_deadline: Date | null;
  stage_owner_roles: string[];
  raising_agency_id: string;
  receiving_agency_id: string;
}

async function escalationsOf(ds: DataSource, caseId: string): Promise<EscalationRow[]> {
  return ds.query(`SELECT * FROM "escalations"."escalation" WHERE "case_id" = $1 ORDER BY "raised_at"`, [
    caseId,
  ]);
}

async function evidenceOf(ds: DataSource, escalationId: string): Promise<string[]> {
  const rows = (await ds.query(
    `SELECT "status_change_id" FROM "escalations"."escalation_evidence" WHERE "escalation_id" = $1
      ORDER BY "status_change_id"`,
    [escalationId],
  )) as { status_change_id: string }[];
  return rows.map((r) => r.status_change_id);
}

async function historyOf(
  ds: DataSource,
  escalationId: string,
): Promise<{ to_stage: number; rationale: string }[]> {
  return ds.query(
    `SELECT * FROM "escalations"."escalation_transition" WHERE "escalation_id" = $1 ORDER BY "id"`,
    [escalationId],
  );
}

async function count(ds: DataSource, sql: string, params: unknown[] = []): Promise<number> {
  const [row] = (await ds.query(sql, params)) as { n: string }[];
  return Number(row?.n ?? 0);
}

describe('escalations service on a real broker and database', () => {
  const prefix = uniquePrefix();
  const names = topics(prefix);
  const clock = new TestClock(new Date('2026-06-01T09:00:00.000Z'));
  const kafka = new Kafka({
    clientId: 'escalations-int-test',
    brokers: testBrokers(),
    logLevel: logLevel.NOTHING,
  });
  let db: TestDatabase;
  let config: ServiceConfig;
  let service: RunningEscalationsService;
  let producer: Producer;
  let admin: Admin;
  let eventsConsumer: Consumer;
  const published: EscalationEventMessage[] = [];

  const send = async (...events: CaseEventMessage[]) => {
    await producer.send({
      topic: names.caseEvents,
      messages: events.map((e) => ({ key: e.case.id, value: JSON.stringify(e) })),
    });
  };
  const caughtUp = () =>
    eventually(
      async () =>
        (await groupCaughtUp(admin, `${prefix}mash-escalations`, names.caseEvents)) ? true : undefined,
      {
        what: 'the engine to catch up with the case events',
      },
    );
  const start = () =>
    startEscalationsService(config, { logger: silentLogger(), directory, clock, schedulerIntervalMs: 100 });

  beforeAll(async () => {
    db = await createTestDatabase();
    config = testServiceConfig({ databaseUrl: db.url, topicPrefix: prefix });
    service = await start();
    producer = kafka.producer();
    await producer.connect();
    admin = kafka.admin();
    await admin.connect();
    eventsConsumer = kafka.consumer({ groupId: `${prefix}test-escalation-events`, maxWaitTimeInMs: 200 });
    await eventsConsumer.connect();
    await eventsConsumer.subscribe({ topic: names.escalationEvents, fromBeginning: true });
    await eventsConsumer.run({
      eachMessage: async ({ message }) => {
        if (message.value) published.push(JSON.parse(message.value.toString()) as EscalationEventMessage);
      },
    });
  });

  afterAll(async () => {
    await eventsConsumer?.disconnect();
    await producer?.disconnect();
    await admin?.disconnect();
    await service?.stop();
    await db?.drop();
  });

  let escalationId: string;

  it('waits out the grace period before raising a threshold disagreement', async () => {
    await send(laEvent, policeEvent);
    await caughtUp();
    expect(await escalationsOf(service.dataSource, CASE)).toEqual([]);
    const [timer] = (await service.dataSource.query(
      `SELECT * FROM "escalations"."timer" WHERE "kind" = 'grace'`,
    )) as {
      key: string;
      due_at: Date;
      fired_at: Date | null;
    }[];
    expect(timer?.key).toBe(`grace:${CASE}:threshold-disagreement:${POLICE}:${LA}`);
    expect(timer?.due_at).toEqual(new Date('2026-06-01T13:00:00.000Z'));
    expect(timer?.fired_at).toBeNull();
  });

  it('raises one auto-raised escalation at stage 1 once the grace period has passed', async () => {
    clock.set('2026-06-01T13:30:00.000Z');
    const [e] = await eventually(
      async () => {
        const rows = await escalationsOf(service.dataSource, CASE);
        return rows.length > 0 ? rows : undefined;
      },
      { what: 'the escalation to be raised' },
    );
    expect(e).toMatchObject({
      stage: 1,
      status: 'AWAITING_ACKNOWLEDGEMENT',
      auto_raised: true,
      raising_agency_id: POLICE,
      receiving_agency_id: LA,
      stage_owner_roles: ['practitioner'],
    });
    escalationId = e!.id;
    expect(e!.raised_at).toEqual(new Date('2026-06-01T13:30:00.000Z'));
    expect(e!.stage_deadline).toEqual(
      addTimescale(
        new Date('2026-06-01T13:30:00.000Z'),
        { amount: 2, unit: 'working-days' },
        englandAndWalesCalendar(),
      ),
    );
    expect(e!.stage_deadline).toEqual(new Date('2026-06-03T13:30:00.000Z'));
    expect(await evidenceOf(service.dataSource, escalationId)).toEqual(['sc-la-1', 'sc-police-1']);
    const history = await historyOf(service.dataSource, escalationId);
    expect(history).toHaveLength(1);
    expect(history[0]?.rationale).toMatch(/^Raised automatically: Agency .* judges child protection/);
  });

  it('duplicates nothing when the same case events are replayed', async () => {
    await send(laEvent, policeEvent, laEvent, policeEvent);
    await caughtUp();
    await new Promise((r) => setTimeout(r, 500)); // give the scheduler a few runs
    expect(await escalationsOf(service.dataSource, CASE)).toHaveLength(1);
    expect(await evidenceOf(service.dataSource, escalationId)).toEqual(['sc-la-1', 'sc-police-1']);
    expect(await historyOf(service.dataSource, escalationId)).toHaveLength(1);
  });

  it('joins new evidence to the open escalation instead of raising another', async () => {
    await send(policeRiskEvent);
    await caughtUp();
    expect(await escalationsOf(service.dataSource, CASE)).toHaveLength(1);
    expect(await evidenceOf(service.dataSource, escalationId)).toEqual([
      'sc-la-1',
      'sc-police-1',
      'sc-police-2',
    ]);
  });

  it('moves to stage 2 by itself when the stage 1 deadline passes, naming the deadline', async () => {
    clock.set('2026-06-03T13:31:00.000Z');
    const [e] = await eventually(
      async () => {
        const rows = await escalationsOf(service.dataSource, CASE);
        return rows[0]?.stage === 2 ? rows : undefined;
      },
      { what: 'stage 2' },
    );
    expect(e).toMatchObject({ stage: 2, status: 'AWAITING_ACKNOWLEDGEMENT' });
    expect(e!.stage_owner_roles).toEqual(['line-manager', 'designated-safeguarding-lead']);
    expect(e!.stage_deadline).toEqual(new Date('2026-06-10T13:31:00.000Z'));
    const history = await historyOf(service.dataSource, escalationId);
    expect(history.map((h) => h.to_stage)).toEqual([1, 2]);
    expect(history[1]?.rationale).toContain('2026-06-03T13:30:00.000Z');
  });

  it('publishes raised, evidence-added and stage-advanced escalation events', async () => {
    const mine = await eventually(
      async () => {
        const types = published.filter((m) => m.escalationId === escalationId).map((m) => m.type);
        return types.includes('stage-advanced') ? types : undefined;
      },
      { what: 'escalation events' },
    );
    expect(mine).toEqual(['raised', 'evidence-added', 'stage-advanced']);
    const advanced = published.find((m) => m.type === 'stage-advanced');
    expect(advanced).toMatchObject({ caseId: CASE, partnershipId: PARTNERSHIP, stage: 2 });
  });

  it('keeps its clocks across a restart', async () => {
    await service.stop();
    clock.set('2026-06-10T13:32:00.000Z');
    service = await start();
    const [e] = await eventually(
      async () => {
        const rows = await escalationsOf(service.dataSource, CASE);
        return rows[0]?.stage === 3 ? rows : undefined;
      },
      { what: 'stage 3 after the restart' },
    );
    expect(e!.stage_owner_roles).toEqual(['head-of-service']);
    expect(e!.stage_deadline).toEqual(new Date('2026-06-12T13:32:00.000Z'));
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
      service.url,
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
    const list = await gql<{ escalations: { id: string }[] }>(
      service.url,
      `query { escalations(partnershipId: "${PARTNERSHIP}", status: AWAITING_ACKNOWLEDGEMENT) { id } }`,
      {},
      mashOfficer,
    );
    expect(list.data?.escalations).toEqual([{ id: escalationId }]);
  });

  it('lists to an agency caller only the escalations its agency raised or received', async () => {
    const LIST = `query { escalations(partnershipId: "${PARTNERSHIP}") { id } }`;
    const police = await gql<{ escalations: { id: string }[] }>(service.url, LIST, {}, policePractitioner);
    expect(police.errors).toBeUndefined();
    expect(police.data?.escalations).toEqual([{ id: escalationId }]);
    const health = await gql<{ escalations: { id: string }[] }>(service.url, LIST, {}, healthPractitioner);
    expect(health.errors).toBeUndefined();
    expect(health.data?.escalations).toEqual([]);
  });

  it.each([
    ['an agency integrator', integrator],
    ['an auditor of the receiving agency', auditor],
  ])('answers %s with FORBIDDEN for reads and moves', async (_who, caller) => {
    const one = await gql(service.url, ESCALATION, { id: escalationId }, caller);
    expect(one.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
    const list = await gql(
      service.url,
      `query { escalations(partnershipId: "${PARTNERSHIP}") { id } }`,
      {},
      caller,
    );
    expect(list.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
    const ack = await gql(
      service.url,
      `mutation($id: ID!) { acknowledgeEscalation(id: $id, rationale: "Seen.") { status } }`,
      { id: escalationId },
      caller,
    );
    expect(ack.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
  });

  it('lets the receiving agency acknowledge and either agency resolve, recording each move', async () => {
    const ACK = `mutation($id: ID!) { acknowledgeEscalation(id: $id, rationale: "Meeting booked.") { status } }`;
    const wrongAgency = await gql(service.url, ACK, { id: escalationId }, policePractitioner);
    expect(wrongAgency.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
    const ack = await gql<{ acknowledgeEscalation: { status: string } }>(
      service.url,
      ACK,
      { id: escalationId },
      laPractitioner,
    );
    expect(ack.data?.acknowledgeEscalation.status).toBe('IN_DISCUSSION');
    const again = await gql(service.url, ACK, { id: escalationId }, laPractitioner);
    expect(again.errors?.[0]?.extensions?.['code']).toBe('INVALID_TRANSITION');
    const resolved = await gql<{
      resolveEscalation: { status: string; outcome: string; resolvedAt: string };
    }>(
      service.url,
      `mutation($id: ID!) {
        resolveEscalation(id: $id, outcome: "Strategy discussion convened", rationale: "Agreed at the meeting.") {
          status outcome resolvedAt
        }
      }`,
      { id: escalationId },
      policePractitioner,
    );
    expect(resolved.data?.resolveEscalation).toEqual({
      status: 'RESOLVED',
      outcome: 'Strategy discussion convened',
      resolvedAt: '2026-06-10T13:32:00.000Z',
    });
    const history = await historyOf(service.dataSource, escalationId);
    expect(history.slice(-2)).toEqual([
      expect.objectContaining({ actor: 'contact:la-social-worker', to_status: 'IN_DISCUSSION' }),
      expect.objectContaining({ actor: 'contact:police-officer', to_status: 'RESOLVED' }),
    ]);
    await eventually(
      async () => {
        const types = published.filter((m) => m.escalationId === escalationId).map((m) => m.type);
        return types.includes('resolved') ? types : undefined;
      },
      { what: 'the resolved event' },
    );
  });

  it('answers NOT_FOUND for an escalation that does not exist', async () => {
    const res = await gql(
      service.url,
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
    const key = `grace:${CASE}:threshold-disagreement:${POLICE}:${LA}`;
    const [rearmed] = await eventually(
      async () => {
        const rows = (await service.dataSource.query(
          `SELECT "due_at", "fired_at" FROM "escalations"."timer" WHERE "key" = $1`,
          [key],
        )) as { due_at: Date; fired_at: Date | null }[];
        return rows[0]?.fired_at ? rows : undefined;
      },
      { what: 'the re-armed grace timer to fire' },
    );
    // Armed again from the latest position (15:00 + 4 hours), and fired without raising anything.
    expect(rearmed?.due_at).toEqual(new Date('2026-06-01T19:00:00.000Z'));
    expect(rearmed?.fired_at).toEqual(new Date('2026-06-10T13:32:00.000Z'));
    const open = (await escalationsOf(service.dataSource, CASE)).filter((e) => e.status !== 'RESOLVED');
    expect(open).toEqual([]);
  });

  it('refuses to rewrite the history: UPDATE and DELETE on escalation_transition fail', async () => {
    await expect(
      service.dataSource.query(`UPDATE "escalations"."escalation_transition" SET "rationale" = 'rewritten'`),
    ).rejects.toThrow(/append-only/);
    await expect(
      service.dataSource.query(`DELETE FROM "escalations"."escalation_transition"`),
    ).rejects.toThrow(/append-only/);
    await expect(
      service.dataSource.query(`TRUNCATE "escalations"."escalation_transition" CASCADE`),
    ).rejects.toThrow(/append-only/);
  });
});

describe('clock scheduler with two instances on one database', () => {
  let db: TestDatabase;
  let one: DataSource;
  let two: DataSource;
  const clock = new TestClock(new Date('2026-06-01T09:00:00.000Z'));
  const CASES = 30;

  beforeAll(async () => {
    db = await createTestDatabase();
    const open = () =>
      openDatabase({
        url: db.url,
        schema: 'escalations',
        entities,
        migrations,
        applicationName: 'scheduler-test',
      });
    [one, two] = await Promise.all([open(), open()]);
  });

  afterAll(async () => {
    await one?.destroy();
    await two?.destroy();
    await db?.drop();
  });

  it('fires each timer exactly once', async () => {
    const engine = new EscalationEngine({
      dataSource: one,
      directory,
      clock,
      topic: 'events',
      logger: silentLogger(),
    });
    for (let i = 0; i < CASES; i++) {
      const caseId = `case-${i}`;
      await engine.handle(
        caseEvent(
          caseId,
          `sc-${i}-police`,
          POLICE,
          'threshold-judgement',
          { threshold: 'child-protection' },
          [
            position(LA, { threshold: 'universal', thresholdStatusChangeId: `sc-${i}-la` }),
            position(POLICE, { threshold: 'child-protection', thresholdStatusChangeId: `sc-${i}-police` }),
          ],
        ),
      );
    }
    clock.set('2026-06-01T14:00:00.000Z');
    const scheduler = (ds: DataSource) =>
      new ClockScheduler({
        dataSource: ds,
        directory,
        clock,
        topic: 'events',
        logger: silentLogger(),
        batchSize: 4,
      });
    const a = scheduler(one);
    const b = scheduler(two);
    const fired: { a: FireOutcome[]; b: FireOutcome[] } = { a: [], b: [] };
    const drain = async (s: ClockScheduler, into: FireOutcome[]) => {
      for (;;) {
        const outcomes = await s.runOnce();
        if (outcomes.length === 0) return;
        into.push(...outcomes);
      }
    };
    await Promise.all([drain(a, fired.a), drain(b, fired.b), drain(a, fired.a), drain(b, fired.b)]);

    expect([...fired.a, ...fired.b]).toEqual(Array.from({ length: CASES }, () => 'raised'));
    expect(await count(one, `SELECT count(*) AS n FROM "escalations"."escalation"`)).toBe(CASES);
    expect(await count(one, `SELECT count(*) AS n FROM "escalations"."escalation_transition"`)).toBe(CASES);
    expect(await count(one, `SELECT count(*) AS n FROM "escalations"."outbox"`)).toBe(CASES);
    expect(
      await count(
        one,
        `SELECT count(*) AS n FROM "escalations"."timer" WHERE "kind" = 'grace' AND "fired_at" IS NULL`,
      ),
    ).toBe(0);
    expect(
      await count(one, `SELECT count(*) AS n FROM "escalations"."timer" WHERE "kind" = 'stage-deadline'`),
    ).toBe(CASES);
  });
});

/** A throwaway database with the real migrations, and an engine and a scheduler on it driven by a test clock. */
function engineAndScheduler(start: string) {
  const clock = new TestClock(new Date(start));
  let db: TestDatabase;
  let ds: DataSource;
  const parts = {
    clock,
    get dataSource(): DataSource {
      return ds;
    },
    engine: undefined as unknown as EscalationEngine,
    scheduler: undefined as unknown as ClockScheduler,
  };
  beforeAll(async () => {
    db = await createTestDatabase();
    ds = await openDatabase({
      url: db.url,
      schema: 'escalations',
      entities,
      migrations,
      applicationName: 'engine-scheduler-test',
    });
    const deps = { dataSource: ds, directory, clock, topic: 'events', logger: silentLogger() };
    parts.engine = new EscalationEngine(deps);
    parts.scheduler = new ClockScheduler(deps);
  });
  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });
  return parts;
}

async function graceTimer(
  ds: DataSource,
  caseId: string,
  raising: string,
  receiving: string,
): Promise<{ due_at: Date; fired_at: Date | null; attempts: number; last_error: string | null } | undefined> {
  const [row] = (await ds.query(`SELECT * FROM "escalations"."timer" WHERE "key" = $1`, [
    `grace:${caseId}:threshold-disagreement:${raising}:${receiving}`,
  ])) as { due_at: Date; fired_at: Date | null; attempts: number; last_error: string | null }[];
  return row;
}

describe('grace period', () => {
  const t = engineAndScheduler('2026-06-01T09:00:00.000Z');
  const caseId = '7d1f0c4e-0000-4000-8000-0000000000c2';
  const police = position(POLICE, {
    threshold: 'child-protection',
    thresholdStatusChangeId: 'sc-g-police',
    thresholdAsOf: '2026-06-01T09:00:00.000Z',
    asOf: '2026-06-01T09:00:00.000Z',
  });
  const la = (threshold: 'universal' | 'child-in-need', id: string, at: string) =>
    position(LA, { threshold, thresholdStatusChangeId: id, thresholdAsOf: at, asOf: at });
  const laEvent = (threshold: 'universal' | 'child-in-need', id: string, at: string) =>
    caseEvent(caseId, id, LA, 'threshold-judgement', { threshold }, [la(threshold, id, at), police]);

  it('raises a disagreement that stopped and came back only a grace period after it came back', async () => {
    const { clock, engine, scheduler } = t;
    // 09:00 the police judge child protection, the local authority universal: 4 hours' grace, due 13:00.
    await engine.handle(laEvent('universal', 'sc-g-la-1', '2026-06-01T09:00:00.000Z'));
    expect((await graceTimer(t.dataSource, caseId, POLICE, LA))?.due_at).toEqual(
      new Date('2026-06-01T13:00:00.000Z'),
    );
    // 10:00 the local authority moves to child in need (one step apart: no disagreement) ...
    clock.set('2026-06-01T10:00:00.000Z');
    await engine.handle(laEvent('child-in-need', 'sc-g-la-2', '2026-06-01T10:00:00.000Z'));
    // ... and 11:00 back to universal: the disagreement has held since 11:00, so grace ends at 15:00.
    clock.set('2026-06-01T11:00:00.000Z');
    await engine.handle(laEvent('universal', 'sc-g-la-3', '2026-06-01T11:00:00.000Z'));

    clock.set('2026-06-01T13:30:00.000Z');
    expect(await scheduler.runOnce()).toEqual(['rearmed']);
    expect(await escalationsOf(t.dataSource, caseId)).toEqual([]);
    expect(await graceTimer(t.dataSource, caseId, POLICE, LA)).toMatchObject({
      due_at: new Date('2026-06-01T15:00:00.000Z'),
      fired_at: null,
    });

    clock.set('2026-06-01T14:59:00.000Z');
    expect(await scheduler.runOnce()).toEqual([]);
    expect(await escalationsOf(t.dataSource, caseId)).toEqual([]);

    clock.set('2026-06-01T15:00:00.000Z');
    expect(await scheduler.runOnce()).toEqual(['raised']);
    const [raised, ...more] = await escalationsOf(t.dataSource, caseId);
    expect(more).toEqual([]);
    expect(raised?.raised_at).toEqual(new Date('2026-06-01T15:00:00.000Z'));
    expect(await evidenceOf(t.dataSource, raised!.id)).toEqual(['sc-g-la-3', 'sc-g-police']);
  });

  it('does not restart the grace period when an agency repeats the same judgement', async () => {
    const { clock, engine, scheduler } = t;
    const repeatCase = '7d1f0c4e-0000-4000-8000-0000000000c4';
    const laSince = '2026-06-01T09:00:00.000Z';
    const laRepeat = (id: string, at: string) =>
      caseEvent(repeatCase, id, LA, 'threshold-judgement', { threshold: 'universal' }, [
        position(LA, {
          threshold: 'universal',
          thresholdStatusChangeId: id,
          thresholdAsOf: at,
          thresholdSince: laSince,
          asOf: at,
        }),
        { ...police, thresholdSince: police.thresholdAsOf },
      ]);
    // 09:00 the police judge child protection, the local authority universal: 4 hours' grace, due 13:00.
    clock.set(laSince);
    await engine.handle(laRepeat('sc-r-la-1', laSince));
    // 11:00 and 12:30 the local authority confirms universal again: the disagreement still began at 09:00.
    clock.set('2026-06-01T11:00:00.000Z');
    await engine.handle(laRepeat('sc-r-la-2', '2026-06-01T11:00:00.000Z'));
    clock.set('2026-06-01T12:30:00.000Z');
    await engine.handle(laRepeat('sc-r-la-3', '2026-06-01T12:30:00.000Z'));
    expect((await graceTimer(t.dataSource, repeatCase, POLICE, LA))?.due_at).toEqual(
      new Date('2026-06-01T13:00:00.000Z'),
    );

    clock.set('2026-06-01T13:00:00.000Z');
    expect(await scheduler.runOnce()).toEqual(['raised']);
    const [raised, ...more] = await escalationsOf(t.dataSource, repeatCase);
    expect(more).toEqual([]);
    expect(raised?.raised_at).toEqual(new Date('2026-06-01T13:00:00.000Z'));
  });
});

describe('engine and scheduler on the same case at once', () => {
  const t = engineAndScheduler('2026-06-01T09:00:00.000Z');
  const caseId = '7d1f0c4e-0000-4000-8000-0000000000c3';
  const la = position(LA, { threshold: 'universal', thresholdStatusChangeId: 'sc-d-la' });
  const police = position(POLICE, { threshold: 'child-protection', thresholdStatusChangeId: 'sc-d-police' });
  const health = position(HEALTH, {
    threshold: 'child-protection',
    thresholdStatusChangeId: 'sc-d-health',
    asOf: '2026-06-01T13:30:00.000Z',
  });
  const waitingOnLocks = (ds: DataSource, n: number, what: string) =>
    eventually(
      async () =>
        (await count(
          ds,
          `SELECT count(*) AS n FROM pg_stat_activity
            WHERE "datname" = current_database() AND "wait_event_type" = 'Lock'`,
        )) >= n
          ? true
          : undefined,
      { what, timeoutMs: 10_000, intervalMs: 20 },
    );

  it('fires a grace timer while a case event for the same case is applied, and both complete', async () => {
    const { clock, engine, scheduler, dataSource: ds } = t;
    // An open police → local authority escalation, and a due grace timer for health → local authority.
    await engine.handle(
      caseEvent(caseId, 'sc-d-police', POLICE, 'threshold-judgement', { threshold: 'child-protection' }, [
        la,
        police,
      ]),
    );
    clock.set('2026-06-01T13:30:00.000Z');
    expect(await scheduler.runOnce()).toEqual(['raised']);
    await engine.handle(
      caseEvent(caseId, 'sc-d-health', HEALTH, 'threshold-judgement', { threshold: 'child-protection' }, [
        la,
        police,
        health,
      ]),
    );
    clock.set('2026-06-01T18:00:00.000Z');
    const [open] = await escalationsOf(ds, caseId);

    // Hold the open escalation, so that the engine stops while it holds the case snapshot ...
    const blocker = ds.createQueryRunner();
    await blocker.connect();
    await blocker.startTransaction();
    await blocker.query(`SELECT 1 FROM "escalations"."escalation" WHERE "id" = $1 FOR UPDATE`, [open!.id]);
    const applying = engine.handle(
      caseEvent(caseId, 'sc-d-police-2', POLICE, 'risk-assessment', { riskLevel: 'medium' }, [
        la,
        { ...police, riskLevel: 'medium', riskStatusChangeId: 'sc-d-police-2' },
        health,
      ]),
    );
    await waitingOnLocks(ds, 1, 'the engine to wait while holding the case snapshot');
    // ... the scheduler claims the health grace timer and waits for the snapshot ...
    const firing = scheduler.runOnce();
    await waitingOnLocks(ds, 2, 'the scheduler to wait for the case snapshot');
    // ... and let the engine go on to arm the health grace timer the scheduler has claimed.
    await blocker.commitTransaction();
    await blocker.release();

    const [applied, fired] = await Promise.allSettled([applying, firing]);
    expect(applied).toMatchObject({ status: 'fulfilled', value: { replay: false, findings: 2 } });
    expect(fired).toEqual({ status: 'fulfilled', value: ['raised'] });
    expect(await graceTimer(ds, caseId, HEALTH, LA)).toMatchObject({
      fired_at: new Date('2026-06-01T18:00:00.000Z'),
      attempts: 0,
      last_error: null,
    });
    expect((await escalationsOf(ds, caseId)).map((e) => e.raising_agency_id)).toEqual([POLICE, HEALTH]);
  });
});
