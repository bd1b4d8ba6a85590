import type { PlanSnapshot } from '@mash/schema';
import { createLogger, silentLogger, type DataSource } from '@mash/service-kit';
import {
  HEALTH,
  LA,
  PARTNERSHIP,
  POLICE,
  caseEvent,
  caseEventWith,
  directory,
  position,
} from '@test/support/fixtures/escalations';
import { count, engineAndScheduler } from '@test/support/fixtures/escalations-harness';
import { eventually } from '@test/support/gateway-client';
import { ClockScheduler, type FireOutcome } from '../src/jobs/scheduler';
import { raise, raiseByPerson } from '../src/domain/escalation';
import { calendarFor } from '../src/domain/calendars';
import { policy } from '@test/support/fixtures/escalations';
import { addEvidenceRows, insertEscalation } from '../src/repositories/escalation.repository';
import { armTimer } from '../src/repositories/timer.repository';

// Integration: a transaction's finding timers fire together, with a number of statements that does not grow with
// the timers, and each does what it did when they fired one after another: raised, joined, rearmed, no longer
// holds, already open, settled. When firing them together fails, each fires on its own, and only the bad one is
// postponed.

const AT = '2026-06-01T14:00:00.000Z';
const la = (caseId: string, p: Parameters<typeof position>[1] = {}) =>
  position(LA, { threshold: 'universal', thresholdStatusChangeId: `${caseId}-la`, ...p });
const police = (caseId: string) =>
  position(POLICE, { threshold: 'child-protection', thresholdStatusChangeId: `${caseId}-police` });
const health = (caseId: string) =>
  position(HEALTH, { threshold: 'child-protection', thresholdStatusChangeId: `${caseId}-health` });
/** The police judge child protection, the local authority universal: due after 4 hours' grace, at 13:00. */
const disagreement = (caseId: string, ...more: ReturnType<typeof position>[]) =>
  caseEvent(caseId, `${caseId}-police`, POLICE, 'threshold-judgement', { threshold: 'child-protection' }, [
    la(caseId),
    police(caseId),
    ...more,
  ]);
/** A plan held by health with two actions due on 20 May, overdue since 28 May: two findings, health → LA. */
const overduePlan = (caseId: string, firstId: string, secondId: string) => {
  const plan: PlanSnapshot = {
    ref: 'p1',
    agencyId: HEALTH,
    kind: 'child-in-need',
    startedAt: '2026-05-01T09:00:00.000Z',
    startedStatusChangeId: `${caseId}-plan`,
    endedAt: null,
    visitFrequencyDays: null,
    lastSeenVisitAt: null,
    lastSeenVisitStatusChangeId: null,
    actions: [
      { ref: 'a1', description: 'One', status: 'open', dueDate: '2026-05-20', statusChangeId: firstId },
      { ref: 'a2', description: 'Two', status: 'open', dueDate: '2026-05-20', statusChangeId: secondId },
    ],
  };
  return caseEventWith(caseId, firstId, HEALTH, 'plan-action', {}, { involved: [LA, HEALTH], plans: [plan] });
};

/** What the firing left for a case, escalation ids named by their order: escalations, evidence, history, stage
 * timers and the events in the outbox. */
async function picture(ds: DataSource, caseId: string) {
  const escalations = (await ds.query(
    `SELECT * FROM "escalations"."escalation" WHERE "case_id" = $1 ORDER BY "raising_agency_id", "ground"`,
    [caseId],
  )) as Record<string, unknown>[];
  const name = new Map(escalations.map((e, i) => [e['id'] as string, `escalation ${i + 1}`]));
  const named = (id: string) => name.get(id) ?? id;
  const ids = [...name.keys()];
  const evidence = (await ds.query(
    `SELECT "escalation_id", "status_change_id", "added_at" FROM "escalations"."escalation_evidence"
      WHERE "escalation_id" = ANY($1::uuid[]) ORDER BY "escalation_id", "status_change_id"`,
    [ids],
  )) as { escalation_id: string; status_change_id: string; added_at: Date }[];
  const history = (await ds.query(
    `SELECT * FROM "escalations"."escalation_transition" WHERE "escalation_id" = ANY($1::uuid[]) ORDER BY "id"`,
    [ids],
  )) as Record<string, unknown>[];
  const stageTimers = (await ds.query(
    `SELECT "key", "due_at", "payload", "fired_at" FROM "escalations"."timer"
      WHERE "kind" = 'stage-deadline' AND "payload"->>'escalationId' = ANY($1::text[]) ORDER BY "key"`,
    [ids],
  )) as { key: string; due_at: Date; payload: Record<string, unknown>; fired_at: Date | null }[];
  const events = (await ds.query(
    `SELECT "topic", "key", "value", "headers" FROM "escalations"."outbox" WHERE "value"->>'caseId' = $1
      ORDER BY "id"`,
    [caseId],
  )) as { topic: string; key: string; value: Record<string, unknown>; headers: Record<string, string> }[];
  return {
    escalations: escalations.map(({ id, ...e }) => ({
      name: named(id as string),
      ...e,
      evidence: evidence
        .filter((r) => r.escalation_id === id)
        .map((r) => ({ statusChangeId: r.status_change_id, addedAt: r.added_at })),
      history: history
        .filter((h) => h['escalation_id'] === id)
        .map(({ id: _id, escalation_id: _e, ...h }) => h),
      stageTimers: stageTimers
        .filter((t) => t.payload['escalationId'] === id)
        .map((t) => ({
          ...t,
          key: t.key.replace(id as string, named(id as string)),
          payload: { ...t.payload, escalationId: named(id as string) },
        })),
    })),
    // By escalation, each one's in order (two escalations' events are in the order their timers were claimed).
    events: events
      .map((e) => {
        const { id, escalationId, ...value } = e.value;
        expect(e.headers).toEqual({ 'mash-event-type': value['type'], 'mash-event-id': id });
        expect(e.key).toBe(escalationId);
        return { topic: e.topic, escalation: named(escalationId as string), ...value };
      })
      .sort((a, b) => (a.escalation < b.escalation ? -1 : a.escalation > b.escalation ? 1 : 0)),
  };
}

const LA_NAME = "Milton Keynes Council Children's Services";
const policeSays = `Raised automatically: Thames Valley Police judges child protection; ${LA_NAME} judges universal (3 steps apart).`;
const thresholdKey = (caseId: string, raising: string) =>
  `grace:${caseId}:threshold-disagreement:${raising}:${LA}`;
const planKey = (caseId: string, action: string) =>
  `grace:${caseId}:stalled-plan:${HEALTH}:${LA}:action:p1:${action}`;

/** An escalation raised by the scheduler at 14:00 at stage 1, as `picture` shows it. */
function automatic(
  caseId: string,
  ground: string,
  raising: string,
  evidence: string[],
  rationale: string,
  name = 'escalation 1',
) {
  return {
    name,
    case_id: caseId,
    partnership_id: PARTNERSHIP,
    ground,
    raising_agency_id: raising,
    receiving_agency_id: LA,
    stage: 1,
    status: 'AWAITING_ACKNOWLEDGEMENT',
    stage_started_at: new Date(AT),
    // Two working days.
    stage_deadline: new Date('2026-06-03T14:00:00.000Z'),
    stage_owner_roles: ['practitioner'],
    auto_raised: true,
    immediate_risk: false,
    raised_at: new Date(AT),
    resolved_at: null,
    outcome: null,
    raised_by: null,
    outstanding_issues: null,
    redirect_route: null,
    evidence: evidence.map((statusChangeId) => ({ statusChangeId, addedAt: new Date(AT) })),
    history: [
      {
        at: new Date(AT),
        from_stage: null,
        to_stage: 1,
        from_status: null,
        to_status: 'AWAITING_ACKNOWLEDGEMENT',
        actor: 'system',
        rationale,
      },
    ],
    stageTimers: [
      {
        key: `stage:${name}:1`,
        due_at: new Date('2026-06-03T14:00:00.000Z'),
        payload: { stage: 1, escalationId: name, partnershipId: PARTNERSHIP },
        fired_at: null,
      },
    ],
  };
}

/** The `raised` event of an escalation `automatic` describes. */
function raised(e: ReturnType<typeof automatic>) {
  return {
    topic: 'events',
    escalation: e.name,
    at: AT,
    type: 'raised',
    actor: 'system',
    stage: 1,
    caseId: e.case_id,
    ground: e.ground,
    status: 'AWAITING_ACKNOWLEDGEMENT',
    raisedBy: null,
    rationale: e.history[0]!.rationale,
    autoRaised: true,
    immediateRisk: false,
    partnershipId: PARTNERSHIP,
    raisingAgencyId: e.raising_agency_id,
    stageOwnerRoles: ['practitioner'],
    receivingAgencyId: LA,
  };
}

const timerOf = async (ds: DataSource, key: string) =>
  (
    (await ds.query(
      `SELECT "due_at", "fired_at", "attempts", "last_error", "claimed_until" FROM "escalations"."timer"
        WHERE "key" = $1`,
      [key],
    )) as { due_at: Date; fired_at: Date | null; attempts: number; last_error: string | null }[]
  )[0];

/** Counts the statements the data source sends while `run` runs. */
async function countingStatements<T>(
  ds: DataSource,
  run: () => Promise<T>,
): Promise<{ result: T; statements: string[] }> {
  const statements: string[] = [];
  const logger = ds.logger;
  const logQuery = logger.logQuery.bind(logger);
  logger.logQuery = (query, parameters, runner) => {
    statements.push(query.replace(/\s+/g, ' ').trim().slice(0, 60));
    return logQuery(query, parameters, runner);
  };
  try {
    return { result: await run(), statements };
  } finally {
    logger.logQuery = logQuery;
  }
}

describe('a transaction of finding timers fired together', () => {
  const t = engineAndScheduler('2026-06-01T09:00:00.000Z');

  it('gives each timer its outcome, rows and events with a number of statements that does not grow', async () => {
    const { clock, engine, dataSource: ds } = t;
    // 09:00: every case's timers armed by the engine.
    expect((await engine.handle(disagreement('raise'))).timersArmed).toBe(1);
    expect((await engine.handle(disagreement('two', health('two')))).timersArmed).toBe(2);
    expect((await engine.handle(disagreement('gone'))).timersArmed).toBe(1);
    expect((await engine.handle(disagreement('join'))).timersArmed).toBe(1);
    expect((await engine.handle(disagreement('settled'))).timersArmed).toBe(1);
    expect((await engine.handle(disagreement('later'))).timersArmed).toBe(1);
    expect((await engine.handle(overduePlan('plan', 'plan-a1', 'plan-a2'))).timersArmed).toBe(2);
    expect((await engine.handle(overduePlan('same', 'same-a', 'same-a'))).timersArmed).toBe(2);
    // Meanwhile, with the timers claimed (so no case event disarms or moves them): the local authority came round on
    // `gone`, and on `later` its judgement is from 12:00, so that grace ends at 16:00.
    await ds.query(
      `UPDATE "escalations"."case_snapshot" SET "snapshot" = jsonb_set("snapshot"::jsonb, '{positions,0,threshold}', '"child-protection"')
        WHERE "case_id" = 'gone'`,
    );
    await ds.query(
      `UPDATE "escalations"."case_snapshot" SET "snapshot" = jsonb_set("snapshot"::jsonb, '{positions,0,asOf}', '"2026-06-01T12:00:00.000Z"')
        WHERE "case_id" = 'later'`,
    );
    // A police officer raised `join` by hand at 10:00; `settled` was raised at 13:00 on exactly its evidence and
    // resolved at 13:30.
    const calendar = calendarFor(policy.calendar);
    await ds.transaction(async (m) => {
      const byHand = raiseByPerson(
        {
          id: '7d1f0c4e-0000-4000-8000-00000000f001',
          caseId: 'join',
          partnershipId: PARTNERSHIP,
          ground: 'threshold-disagreement',
          raisingAgencyId: POLICE,
          receivingAgencyId: LA,
          at: new Date('2026-06-01T10:00:00.000Z'),
          reason: 'We disagree.',
          raisedBy: 'contact:police-officer',
          immediateRisk: false,
        },
        policy,
        calendar,
      ).escalation;
      expect(await insertEscalation(m, byHand)).toBe(true);
      const resolved = raise(
        {
          id: '7d1f0c4e-0000-4000-8000-00000000f002',
          caseId: 'settled',
          partnershipId: PARTNERSHIP,
          ground: 'threshold-disagreement',
          raisingAgencyId: POLICE,
          receivingAgencyId: LA,
          evidence: ['settled-la', 'settled-police'],
          at: new Date('2026-06-01T13:00:00.000Z'),
          reason: 'Agreed.',
        },
        policy,
        calendar,
      ).escalation;
      expect(
        await insertEscalation(m, {
          ...resolved,
          status: 'RESOLVED',
          resolvedAt: new Date('2026-06-01T13:30:00.000Z'),
          outcome: 'AGREED_ACTION_PLAN',
        }),
      ).toBe(true);
      await addEvidenceRows(m, resolved.id, resolved.evidence, new Date('2026-06-01T13:00:00.000Z'));
    });
    const before = (await ds.query(`SELECT count(*)::int AS n FROM "escalations"."outbox"`)) as {
      n: number;
    }[];

    clock.set(AT);
    const scheduler = new ClockScheduler({
      dataSource: ds,
      directory,
      clock,
      topic: 'events',
      logger: silentLogger(),
      fireChunk: 20,
      fireConcurrency: 1,
    });
    const { result: outcomes, statements } = await countingStatements(ds, () => scheduler.runOnce());
    expect([...outcomes].sort()).toEqual(
      (
        [
          'already-open',
          'joined',
          'joined',
          'no-longer-holds',
          'raised',
          'raised',
          'raised',
          'raised',
          'raised',
          'rearmed',
          'settled',
        ] satisfies FireOutcome[]
      ).sort(),
    );
    // The sweep's claim (3 statements) and one transaction for the 11 timers, whatever their number.
    expect(statements.length).toBeLessThanOrEqual(20);
    expect(statements.filter((s) => s.startsWith('SAVEPOINT'))).toEqual(['SAVEPOINT "findings"']);

    // Each timer fired, but `later`, waiting again until 16:00 with what it now carries.
    const keys = {
      raise: [thresholdKey('raise', POLICE)],
      two: [thresholdKey('two', HEALTH), thresholdKey('two', POLICE)],
      gone: [thresholdKey('gone', POLICE)],
      join: [thresholdKey('join', POLICE)],
      settled: [thresholdKey('settled', POLICE)],
      plan: [planKey('plan', 'a1'), planKey('plan', 'a2')],
      same: [planKey('same', 'a1'), planKey('same', 'a2')],
    };
    for (const key of Object.values(keys).flat()) {
      expect(await timerOf(ds, key)).toEqual({
        due_at: expect.any(Date),
        fired_at: new Date(AT),
        attempts: 0,
        last_error: null,
        claimed_until: null,
      });
    }
    expect(await timerOf(ds, thresholdKey('later', POLICE))).toEqual({
      due_at: new Date('2026-06-01T16:00:00.000Z'),
      fired_at: null,
      attempts: 0,
      last_error: null,
      claimed_until: null,
    });
    const [later] = (await ds.query(`SELECT "payload" FROM "escalations"."timer" WHERE "key" = $1`, [
      thresholdKey('later', POLICE),
    ])) as { payload: Record<string, unknown> }[];
    expect(later?.payload).toMatchObject({
      since: '2026-06-01T12:00:00.000Z',
      dueAt: '2026-06-01T16:00:00.000Z',
    });

    const healthSays = `Raised automatically: Milton Keynes University Hospital judges child protection; ${LA_NAME} judges universal (3 steps apart).`;
    const planSays =
      'Raised automatically: An action of the child in need plan held by Milton Keynes University Hospital, due by ' +
      '20 May 2026, is still not done 5 working days later.';
    const police1 = automatic(
      'raise',
      'threshold-disagreement',
      POLICE,
      ['raise-la', 'raise-police'],
      policeSays,
    );
    expect(await picture(ds, 'raise')).toEqual({ escalations: [police1], events: [raised(police1)] });

    const two = [
      automatic('two', 'threshold-disagreement', POLICE, ['two-la', 'two-police'], policeSays),
      automatic(
        'two',
        'threshold-disagreement',
        HEALTH,
        ['two-health', 'two-la'],
        healthSays,
        'escalation 2',
      ),
    ];
    expect(await picture(ds, 'two')).toEqual({ escalations: two, events: two.map(raised) });

    expect(await picture(ds, 'gone')).toEqual({ escalations: [], events: [] });

    // Joined the escalation raised by hand: its evidence, one event; no history or stage timer of the scheduler's.
    const byHand = {
      name: 'escalation 1',
      case_id: 'join',
      partnership_id: PARTNERSHIP,
      ground: 'threshold-disagreement',
      raising_agency_id: POLICE,
      receiving_agency_id: LA,
      stage: 1,
      status: 'AWAITING_ACKNOWLEDGEMENT',
      stage_started_at: new Date('2026-06-01T10:00:00.000Z'),
      stage_deadline: new Date('2026-06-03T10:00:00.000Z'),
      stage_owner_roles: ['practitioner'],
      auto_raised: false,
      immediate_risk: false,
      raised_at: new Date('2026-06-01T10:00:00.000Z'),
      resolved_at: null,
      outcome: null,
      raised_by: 'contact:police-officer',
      outstanding_issues: null,
      redirect_route: null,
      evidence: [
        { statusChangeId: 'join-la', addedAt: new Date(AT) },
        { statusChangeId: 'join-police', addedAt: new Date(AT) },
      ],
      history: [],
      stageTimers: [],
    };
    expect(await picture(ds, 'join')).toEqual({
      escalations: [byHand],
      events: [
        {
          ...raised(police1),
          caseId: 'join',
          type: 'evidence-added',
          raisedBy: 'contact:police-officer',
          autoRaised: false,
          rationale: '2 new status changes joined the escalation.',
        },
      ],
    });

    // Settled: only the escalation resolved before, nothing new.
    const settled = await picture(ds, 'settled');
    expect(
      settled.escalations.map((e) => [(e as Record<string, unknown>)['status'], e.evidence.length]),
    ).toEqual([['RESOLVED', 2]]);
    expect(settled.events).toEqual([]);

    expect(await picture(ds, 'later')).toEqual({ escalations: [], events: [] });

    // Two timers of one case, ground and agencies: the first raises, the second joins with its own evidence ...
    const plan = automatic('plan', 'stalled-plan', HEALTH, ['plan-a1', 'plan-a2'], planSays);
    expect(await picture(ds, 'plan')).toEqual({
      escalations: [plan],
      events: [
        raised(plan),
        { ...raised(plan), type: 'evidence-added', rationale: '1 new status change joined the escalation.' },
      ],
    });
    // ... or finds it already holds its evidence when one status change reported both actions.
    const same = automatic('same', 'stalled-plan', HEALTH, ['same-a'], planSays);
    expect(await picture(ds, 'same')).toEqual({ escalations: [same], events: [raised(same)] });

    expect(
      (await ds.query(`SELECT count(*)::int AS n FROM "escalations"."outbox"`)) as { n: number }[],
    ).toEqual([{ n: before[0]!.n + 7 }]);
  });
});

describe('a transaction of finding timers when firing them together fails', () => {
  const t = engineAndScheduler('2026-06-01T09:00:00.000Z');

  it('fires each on its own, postponing only the one that fails', async () => {
    const { clock, engine, dataSource: ds } = t;
    for (const caseId of ['first', 'broken', 'last']) {
      expect((await engine.handle(disagreement(caseId))).timersArmed).toBe(1);
    }
    // The case snapshot of `broken` lost its positions (the rule throws on it), and a timer names a partnership
    // whose policy the directory does not have.
    await ds.query(
      `UPDATE "escalations"."case_snapshot" SET "snapshot" = "snapshot"::jsonb - 'positions' WHERE "case_id" = 'broken'`,
    );
    await ds.transaction((m) =>
      armTimer(m, 'grace', 'grace:orphan:threshold-disagreement:x:y', new Date('2026-06-01T13:00:00.000Z'), {
        caseId: 'orphan',
        partnershipId: 'no-such-partnership',
        ground: 'threshold-disagreement',
        raisingAgencyId: 'x',
        receivingAgencyId: 'y',
        evidence: [],
        since: '2026-06-01T09:00:00.000Z',
        reason: 'None.',
      }),
    );

    clock.set(AT);
    const logged: { msg: string; err?: { message?: string }; timers?: number; timer?: string }[] = [];
    const scheduler = new ClockScheduler({
      dataSource: ds,
      directory,
      clock,
      topic: 'events',
      logger: createLogger('escalations', {
        level: 'warn',
        destination: {
          write: (line: string) => void logged.push(JSON.parse(line) as (typeof logged)[number]),
        },
      }),
      fireChunk: 20,
      fireConcurrency: 1,
      retryDelayMs: 60_000,
    });
    const { result: outcomes, statements } = await countingStatements(ds, () => scheduler.runOnce());
    expect(outcomes).toEqual(['raised', 'raised']);
    expect(statements.filter((s) => /SAVEPOINT/.test(s))).toEqual([
      'SAVEPOINT "findings"',
      'ROLLBACK TO SAVEPOINT "findings"',
      'RELEASE SAVEPOINT "findings"',
      'SAVEPOINT "timer"',
      expect.stringMatching(/^(RELEASE|ROLLBACK TO) SAVEPOINT "timer"$/),
      'SAVEPOINT "timer"',
      expect.stringMatching(/^(RELEASE|ROLLBACK TO) SAVEPOINT "timer"$/),
      'SAVEPOINT "timer"',
      expect.stringMatching(/^(RELEASE|ROLLBACK TO) SAVEPOINT "timer"$/),
    ]);
    expect(logged.map((l) => [l.msg, l.err?.message ?? l.timers ?? l.timer])).toEqual([
      ['policy or agencies unavailable; their timers are postponed', 'no policy for no-such-partnership'],
      [
        'firing finding timers together failed; firing each on its own',
        "Cannot read properties of undefined (reading 'filter')",
      ],
      ['timer failed; postponed', "Cannot read properties of undefined (reading 'filter')"],
    ]);

    for (const caseId of ['first', 'last']) {
      expect(await timerOf(ds, thresholdKey(caseId, POLICE))).toEqual({
        due_at: new Date('2026-06-01T13:00:00.000Z'),
        fired_at: new Date(AT),
        attempts: 0,
        last_error: null,
        claimed_until: null,
      });
      const p = automatic(
        caseId,
        'threshold-disagreement',
        POLICE,
        [`${caseId}-la`, `${caseId}-police`],
        policeSays,
      );
      expect(await picture(ds, caseId)).toEqual({ escalations: [p], events: [raised(p)] });
    }
    // The failing one and the one without a policy wait a minute and try again, the error kept.
    expect(await timerOf(ds, thresholdKey('broken', POLICE))).toEqual({
      due_at: new Date('2026-06-01T14:01:00.000Z'),
      fired_at: null,
      attempts: 1,
      last_error: "Cannot read properties of undefined (reading 'filter')",
      claimed_until: null,
    });
    expect(await timerOf(ds, 'grace:orphan:threshold-disagreement:x:y')).toEqual({
      due_at: new Date('2026-06-01T14:01:00.000Z'),
      fired_at: null,
      attempts: 1,
      last_error: 'the partnership policy or agencies are unavailable',
      claimed_until: null,
    });
    expect(await picture(ds, 'broken')).toEqual({ escalations: [], events: [] });
  });
});

describe('a transaction of finding timers racing a person raising the same escalation', () => {
  const t = engineAndScheduler('2026-06-01T09:00:00.000Z');

  it('leaves the timer already open, as one fired alone, and fires the rest', async () => {
    const { clock, engine, dataSource: ds } = t;
    for (const caseId of ['race', 'calm']) {
      expect((await engine.handle(disagreement(caseId))).timersArmed).toBe(1);
    }
    clock.set(AT);
    // A police officer raises `race` by hand, not committed yet when the scheduler looks for open escalations ...
    const person = ds.createQueryRunner();
    await person.connect();
    await person.startTransaction();
    const byHand = raiseByPerson(
      {
        id: '7d1f0c4e-0000-4000-8000-00000000f003',
        caseId: 'race',
        partnershipId: PARTNERSHIP,
        ground: 'threshold-disagreement',
        raisingAgencyId: POLICE,
        receivingAgencyId: LA,
        at: new Date(AT),
        reason: 'We disagree.',
        raisedBy: 'contact:police-officer',
        immediateRisk: false,
      },
      policy,
      calendarFor(policy.calendar),
    ).escalation;
    let firing: Promise<{ result: FireOutcome[]; statements: string[] }> | undefined;
    try {
      expect(await insertEscalation(person.manager, byHand)).toBe(true);
      const scheduler = new ClockScheduler({
        dataSource: ds,
        directory,
        clock,
        topic: 'events',
        logger: silentLogger(),
        fireChunk: 20,
      });
      firing = countingStatements(ds, () => scheduler.runOnce());
      // ... and commits while the scheduler's insert of the same escalation waits for it.
      await eventually(
        async () =>
          (await count(
            ds,
            `SELECT count(*) AS n FROM pg_stat_activity
              WHERE "datname" = current_database() AND "wait_event_type" = 'Lock'`,
          )) >= 1
            ? true
            : undefined,
        {
          what: 'the scheduler to wait for the escalation raised by hand',
          timeoutMs: 10_000,
          intervalMs: 20,
        },
      );
      await person.commitTransaction();
    } finally {
      if (person.isTransactionActive) await person.rollbackTransaction();
      await person.release();
    }
    const { result: outcomes, statements } = await firing;
    expect([...outcomes].sort()).toEqual(['already-open', 'raised']);
    expect(statements.filter((s) => /SAVEPOINT/.test(s))).toEqual([
      'SAVEPOINT "findings"',
      'RELEASE SAVEPOINT "findings"',
    ]);
    const race = await picture(ds, 'race');
    expect(
      race.escalations.map((e) => [e.name, (e as Record<string, unknown>)['raised_by'], e.evidence]),
    ).toEqual([['escalation 1', 'contact:police-officer', []]]);
    expect(race.escalations[0]?.stageTimers).toEqual([]);
    expect(race.escalations[0]?.history).toEqual([]);
    expect(race.events).toEqual([]);
    expect((await timerOf(ds, thresholdKey('race', POLICE)))?.fired_at).toEqual(new Date(AT));
    const calm = automatic('calm', 'threshold-disagreement', POLICE, ['calm-la', 'calm-police'], policeSays);
    expect(await picture(ds, 'calm')).toEqual({ escalations: [calm], events: [raised(calm)] });
  });
});
