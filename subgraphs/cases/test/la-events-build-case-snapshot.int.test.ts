import { agencyChange, freshIdentifiers, mashOfficer } from '@test/support/fixtures/cases';
import { casesOnBroker, registerSubject } from '@test/support/fixtures/cases-harness';
import { eventually, gql } from '@test/support/gateway-client';
import {
  Demo,
  SIGNAL_HORIZON_DAYS,
  SIGNAL_LIMIT,
  type CaseEventMessage,
  type CaseSnapshot,
  type StatusChangeMessage,
  type SubjectIdentifier,
} from '@mash/schema';

// Integration: the real cases service on a real Kafka broker and a throwaway Postgres database with the real
// migrations. Each test registers subjects of its own, so each has cases of its own.

const DAY_MS = 24 * 60 * 60 * 1000;
/** 10:00 UTC on day `d` of January 2026, plus `hours`. */
const at = (d: number, hours = 0) => new Date(Date.UTC(2026, 0, d, 10 + hours)).toISOString();
const CP_PLAN = { ref: 'CP-1', kind: 'child-protection' as const };
const ACTION = {
  planRef: 'CP-1',
  ref: 'A-1',
  dueDate: '2026-01-25',
  description: 'Complete the home conditions assessment',
  ownerAgencyType: 'la-children',
};

/** The local authority's account of one child protection enquiry, in the order it happened. */
function laSequence(la: SubjectIdentifier) {
  const change = (kind: StatusChangeMessage['kind'], facts: StatusChangeMessage['facts'], when: string) =>
    agencyChange('laChildren', la, kind, facts, when);
  return {
    sd: change('strategy-discussion', { s47Started: true }, at(1)),
    icpc: change(
      'child-protection-conference',
      { conference: { type: 'initial', planDecided: true } },
      at(10),
    ),
    start: change('plan-started', { plan: { ...CP_PLAN, visitFrequencyDays: 10 } }, at(10, 1)),
    action: change('plan-action', { planAction: { ...ACTION, status: 'open' } }, at(11)),
    coreGroup: change('core-group', { plan: CP_PLAN }, at(15)),
    seen: change('visit', { visit: { outcome: 'seen' } }, at(18)),
    noAccess: change('visit', { visit: { outcome: 'no-access' }, plan: CP_PLAN }, at(22)),
    done: change('plan-action', { planAction: { ...ACTION, status: 'done' } }, at(24)),
  };
}

/** Every value a whole number, each greater than the one before. */
const ascending = (values: readonly (number | undefined)[]) =>
  values.every((v, i) => Number.isInteger(v) && (i === 0 || v! > values[i - 1]!));

const emptyPosition = (agencyId: string, asOf: string) => ({
  agencyId,
  threshold: null,
  thresholdStatusChangeId: null,
  thresholdAsOf: null,
  thresholdSince: null,
  riskLevel: null,
  riskStatusChangeId: null,
  riskAsOf: null,
  riskSince: null,
  referralOutcome: null,
  referralStatusChangeId: null,
  referralAsOf: null,
  referralSince: null,
  asOf,
});

/** The case after the whole sequence and a health "was not brought" on day 23, exactly. */
function expectedSnapshot(
  caseId: string,
  subjectId: string,
  la: ReturnType<typeof laSequence>,
  wasNotBrought: StatusChangeMessage,
): CaseSnapshot {
  return {
    id: caseId,
    partnershipId: Demo.partnershipId,
    subjectId,
    status: 'open',
    involvements: [
      { agencyId: Demo.agencies.laChildren, open: true },
      { agencyId: Demo.agencies.health, open: true },
    ],
    positions: [emptyPosition(Demo.agencies.laChildren, at(24)), emptyPosition(Demo.agencies.health, at(23))],
    childProtection: {
      agencyId: Demo.agencies.laChildren,
      enquiryStartedAt: at(1),
      enquiryStatusChangeId: la.sd.id,
      initialConferenceAt: at(10),
      initialConferenceStatusChangeId: la.icpc.id,
      planDecided: true,
      firstCoreGroupAt: at(15),
      lastCoreGroupAt: at(15),
      lastCoreGroupStatusChangeId: la.coreGroup.id,
      lastReviewConferenceAt: null,
      lastReviewConferenceStatusChangeId: null,
    },
    plans: [
      {
        ref: 'CP-1',
        agencyId: Demo.agencies.laChildren,
        kind: 'child-protection',
        startedAt: at(10, 1),
        startedStatusChangeId: la.start.id,
        endedAt: null,
        visitFrequencyDays: 10,
        lastSeenVisitAt: at(18),
        lastSeenVisitStatusChangeId: la.seen.id,
        actions: [
          {
            ref: 'A-1',
            description: ACTION.description,
            status: 'done',
            dueDate: '2026-01-25',
            statusChangeId: la.done.id,
          },
        ],
      },
    ],
    signals: [
      {
        statusChangeId: wasNotBrought.id,
        agencyId: Demo.agencies.health,
        family: 'health',
        kind: 'appointment-not-attended',
        occurredAt: at(23),
        facts: { appointment: { attendance: 'was-not-brought' } },
      },
      {
        statusChangeId: la.noAccess.id,
        agencyId: Demo.agencies.laChildren,
        family: 'la-children',
        kind: 'visit',
        occurredAt: at(22),
        facts: { visit: { outcome: 'no-access' }, plan: CP_PLAN },
      },
      {
        statusChangeId: la.seen.id,
        agencyId: Demo.agencies.laChildren,
        family: 'la-children',
        kind: 'visit',
        occurredAt: at(18),
        facts: { visit: { outcome: 'seen' } },
      },
    ],
  };
}

describe('local authority events build the child protection process, plans and signals of the case', () => {
  const h = casesOnBroker();

  /** Registers a child known to the LA and to health, publishes a "was not brought", then the LA events. */
  async function childWithEvents(order: (la: ReturnType<typeof laSequence>) => StatusChangeMessage[]) {
    const ids = freshIdentifiers();
    const subjectId = await registerSubject(h.cases.url, 'Child E', [ids.laPersonId, ids.nhsNumber]);
    const wasNotBrought = agencyChange(
      'health',
      ids.nhsNumber,
      'appointment-not-attended',
      { appointment: { attendance: 'was-not-brought' } },
      at(23),
    );
    await h.publish(wasNotBrought);
    const caseId = (await h.caseEventFor(wasNotBrought.id)).case.id;
    const la = laSequence(ids.laPersonId);
    const published = order(la);
    await h.publish(...published);
    const last = await h.caseEventFor(published[published.length - 1]!.id);
    return { subjectId, caseId, la, wasNotBrought, last };
  }

  it('carries the process, the plan with its action and visits, and the signals in the case event, exactly', async () => {
    const child = await childWithEvents((la) => Object.values(la));
    expect(child.last.case).toEqual(
      expectedSnapshot(child.caseId, child.subjectId, child.la, child.wasNotBrought),
    );

    const sdEvent = await h.caseEventFor(child.la.sd.id);
    expect(sdEvent.case.childProtection).toEqual({
      ...expectedSnapshot(child.caseId, child.subjectId, child.la, child.wasNotBrought).childProtection,
      initialConferenceAt: null,
      initialConferenceStatusChangeId: null,
      planDecided: false,
      firstCoreGroupAt: null,
      lastCoreGroupAt: null,
      lastCoreGroupStatusChangeId: null,
    });
    expect(sdEvent.case.plans).toEqual([]);
  });

  it('shows the reported plan and its action through Case.plans', async () => {
    const child = await childWithEvents((la) => Object.values(la));
    const res = await gql<{ case: { plans: unknown[] } }>(
      h.cases.url,
      `query ($id: ID!) { case(id: $id) { plans {
         ref kind agency { id } startedAt endedAt visitFrequencyDays lastSeenVisitAt
         actions { ref description status dueDate doneAt ownerAgencyType }
       } } }`,
      { id: child.caseId },
      mashOfficer,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data?.case.plans).toEqual([
      {
        ref: 'CP-1',
        kind: 'CHILD_PROTECTION',
        agency: { id: Demo.agencies.laChildren },
        startedAt: at(10, 1),
        endedAt: null,
        visitFrequencyDays: 10,
        lastSeenVisitAt: at(18),
        actions: [
          {
            ref: 'A-1',
            description: ACTION.description,
            status: 'DONE',
            dueDate: '2026-01-25T00:00:00.000Z',
            doneAt: at(24),
            ownerAgencyType: 'la-children',
          },
        ],
      },
    ]);
  });

  it('arrives at the same case when the same events arrive late and in reverse order', async () => {
    const child = await childWithEvents((la) => Object.values(la).reverse());
    expect(child.last.statusChange.id).toBe(child.la.sd.id);
    expect(child.last.case).toEqual(
      expectedSnapshot(child.caseId, child.subjectId, child.la, child.wasNotBrought),
    );
    // Each case event's sequence follows the order the changes were applied in (as published), not their times.
    const applied = await Promise.all(
      Object.values(child.la)
        .reverse()
        .map((e) => h.caseEventFor(e.id)),
    );
    expect(ascending(applied.map((e) => e.sequence))).toBe(true);
    expect(child.last.sequence).toBe(applied[applied.length - 1]!.sequence);
    // The older report of the action, arriving after the newer "done", did not reopen it.
    const afterOlder = await h.caseEventFor(child.la.action.id);
    expect(afterOlder.case.plans).toEqual([]); // its plan's start had not arrived yet
    const afterStart = await h.caseEventFor(child.la.start.id);
    expect(afterStart.case.plans?.[0]?.actions).toEqual([
      {
        ref: 'A-1',
        description: ACTION.description,
        status: 'done',
        dueDate: '2026-01-25',
        statusChangeId: child.la.done.id,
      },
    ]);
  });

  it('gives the same case events when the changes are linked one by one (single path) as when consumed in batches', async () => {
    const consumed = freshIdentifiers();
    const consumedSubject = await registerSubject(h.cases.url, 'Child F', [consumed.laPersonId]);
    const consumedEvents = Object.values(laSequence(consumed.laPersonId));
    await h.publish(...consumedEvents);
    const batchEvents = await Promise.all(consumedEvents.map((e) => h.caseEventFor(e.id)));

    // The same changes for a child no one has registered yet wait unmatched, then are applied one at a time,
    // oldest first, by the registration that links them.
    const linked = freshIdentifiers();
    const linkedEvents = Object.values(laSequence(linked.laPersonId));
    await h.publish(...linkedEvents);
    await eventually(
      async () => {
        const rows = (await h.cases.dataSource.query(
          `SELECT count(*)::int AS n FROM "cases"."unmatched_status_change" WHERE "id" = ANY($1::uuid[])`,
          [linkedEvents.map((e) => e.id)],
        )) as { n: number }[];
        return rows[0]?.n === linkedEvents.length ? true : undefined;
      },
      { what: 'the held status changes' },
    );
    const linkedSubject = await registerSubject(h.cases.url, 'Child G', [linked.laPersonId]);
    const singleEvents = await Promise.all(linkedEvents.map((e) => h.caseEventFor(e.id)));

    // Same snapshots once the ids that differ (case, subject, status changes) are read as their counterparts.
    const renames: [string, string][] = [
      [singleEvents[0]!.case.id, batchEvents[0]!.case.id],
      [linkedSubject, consumedSubject],
      ...linkedEvents.map((e, i): [string, string] => [e.id, consumedEvents[i]!.id]),
    ];
    const asConsumed = (event: CaseEventMessage) =>
      JSON.parse(
        renames.reduce((json, [from, to]) => json.split(from).join(to), JSON.stringify(event.case)),
      ) as unknown;
    expect(singleEvents.map(asConsumed)).toEqual(batchEvents.map((e) => e.case));
    // Numbered in the order applied on both paths (the linked ones oldest first), the linked after the consumed.
    expect(ascending(batchEvents.map((e) => e.sequence))).toBe(true);
    expect(ascending(singleEvents.map((e) => e.sequence))).toBe(true);
    expect(singleEvents[0]!.sequence).toBeGreaterThan(batchEvents[batchEvents.length - 1]!.sequence!);
    expect(batchEvents[batchEvents.length - 1]!.case.plans).toHaveLength(1);
  });

  it(`keeps the signals of the last ${SIGNAL_HORIZON_DAYS} days before the newest, newest first`, async () => {
    const ids = freshIdentifiers();
    await registerSubject(h.cases.url, 'Child H', [ids.upn]);
    const newest = Date.UTC(2026, 5, 1, 9);
    const daysBefore = (days: number) => new Date(newest - days * DAY_MS).toISOString();
    const absence = (days: number) =>
      agencyChange('education', ids.upn, 'unexplained-absence', {}, daysBefore(days));
    const [latest, inside, edge, outside] = [
      absence(0),
      absence(SIGNAL_HORIZON_DAYS - 1),
      absence(SIGNAL_HORIZON_DAYS),
      absence(SIGNAL_HORIZON_DAYS + 1),
    ];
    const attendance = agencyChange(
      'education',
      ids.upn,
      'attendance-below-threshold',
      { attendance: { percentage: 86.5, periodStart: '2026-04-01', periodEnd: '2026-05-29' } },
      daysBefore(2),
    );
    const notASignal = agencyChange(
      'education',
      ids.upn,
      'threshold-judgement',
      { threshold: 'early-help' },
      daysBefore(1),
    );
    await h.publish(outside, edge, inside, notASignal, attendance, latest);
    const event = await h.caseEventFor(latest.id);
    expect(event.case.signals).toEqual([
      {
        statusChangeId: latest.id,
        agencyId: Demo.agencies.education,
        family: 'education',
        kind: 'unexplained-absence',
        occurredAt: daysBefore(0),
        facts: {},
      },
      {
        statusChangeId: attendance.id,
        agencyId: Demo.agencies.education,
        family: 'education',
        kind: 'attendance-below-threshold',
        occurredAt: daysBefore(2),
        facts: { attendance: { percentage: 86.5, periodStart: '2026-04-01', periodEnd: '2026-05-29' } },
      },
      expect.objectContaining({ statusChangeId: inside.id, occurredAt: daysBefore(SIGNAL_HORIZON_DAYS - 1) }),
      expect.objectContaining({ statusChangeId: edge.id, occurredAt: daysBefore(SIGNAL_HORIZON_DAYS) }),
    ]);
    // Before the newest arrived, the window reached back from the attendance report instead.
    expect((await h.caseEventFor(attendance.id)).case.signals?.map((s) => s.statusChangeId)).toEqual([
      attendance.id,
      inside.id,
      edge.id,
      outside.id,
    ]);
  });

  it(`keeps at most ${SIGNAL_LIMIT} signals, the newest, across batches and late arrivals`, async () => {
    const ids = freshIdentifiers();
    await registerSubject(h.cases.url, 'Child I', [ids.upn]);
    const absences = Array.from({ length: SIGNAL_LIMIT + 5 }, (_, i) =>
      agencyChange('education', ids.upn, 'unexplained-absence', {}, at(1 + i)),
    );
    // Two batches: the newer half first, then the older half arriving late.
    const half = Math.floor(absences.length / 2);
    await h.publish(...absences.slice(half));
    await h.caseEventFor(absences[absences.length - 1]!.id);
    await h.publish(...absences.slice(0, half));
    const event = await h.caseEventFor(absences[half - 1]!.id);
    const newestFirst = [...absences].reverse().slice(0, SIGNAL_LIMIT);
    expect(event.case.signals?.map((s) => s.statusChangeId)).toEqual(newestFirst.map((a) => a.id));
  });
});
