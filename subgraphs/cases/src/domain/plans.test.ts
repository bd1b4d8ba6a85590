import type {
  PlanFacts,
  PlanSnapshot,
  StatusChangeKind,
  StatusChangeMessage,
  StatusFacts,
} from '@mash/schema';
import { applyPlans, planKey, planSnapshots, type PlanRecord } from './plans';

const LA = '0b9f8a1e-2c1d-4f7a-9f51-1a2b3c4d5e13';
const ADULTS = '0b9f8a1e-2c1d-4f7a-9f51-1a2b3c4d5e19';

/** 10:00 UTC on day `d` counted from 1 March 2026. */
const day = (d: number) => new Date(Date.UTC(2026, 2, d, 10)).toISOString();

function la(
  name: string,
  kind: StatusChangeKind,
  d: number,
  facts: StatusFacts,
  agencyId = LA,
): StatusChangeMessage {
  return {
    id: `sc-${name}`,
    eventId: name,
    source: 'urn:mash:source:mk-mosaic',
    type: `uk.mash.la-children.${kind}.v1`,
    family: 'la-children',
    partnershipId: 'p-1',
    agencyId,
    sourceSystemId: 'ss-1',
    subject: { system: 'la-person-id', value: 'LA-1' },
    kind,
    facts,
    summary: 'test',
    occurredAt: day(d),
    receivedAt: day(d),
  };
}

const CP: PlanFacts = { ref: 'CP-1', kind: 'child-protection' };
const CIN: PlanFacts = { ref: 'CIN-1', kind: 'child-in-need' };
const start = (name: string, d: number, plan: PlanFacts = CP, visitFrequencyDays?: number, agencyId = LA) =>
  la(
    name,
    'plan-started',
    d,
    { plan: { ...plan, ...(visitFrequencyDays && { visitFrequencyDays }) } },
    agencyId,
  );
const end = (name: string, d: number, plan: PlanFacts = CP) => la(name, 'plan-ended', d, { plan });
const action = (
  name: string,
  d: number,
  ref: string,
  status: 'open' | 'done',
  dueDate: string | null = '2026-03-20',
  planRef = CP.ref,
) =>
  la(name, 'plan-action', d, {
    planAction: { planRef, ref, status, dueDate, description: `Action ${ref}` },
  });
const visit = (name: string, d: number, outcome: 'seen' | 'no-access', plan?: PlanFacts, agencyId = LA) =>
  la(name, 'visit', d, { visit: { outcome }, ...(plan && { plan }) }, agencyId);

function fold(changes: StatusChangeMessage[]): Map<string, PlanRecord> {
  let plans: ReadonlyMap<string, PlanRecord> = new Map();
  for (const c of changes) plans = applyPlans(plans, c).plans;
  return new Map(plans);
}
const snapshots = (changes: StatusChangeMessage[]) => planSnapshots(fold(changes).values());

const cp = (parts: Partial<PlanSnapshot> = {}): PlanSnapshot => ({
  ref: 'CP-1',
  agencyId: LA,
  kind: 'child-protection',
  startedAt: day(1),
  startedStatusChangeId: 'sc-start',
  endedAt: null,
  visitFrequencyDays: 10,
  lastSeenVisitAt: null,
  lastSeenVisitStatusChangeId: null,
  actions: [],
  ...parts,
});

describe('plans reported on a case', () => {
  it.each<[string, StatusChangeMessage[], PlanSnapshot[]]>([
    ['a plan started', [start('start', 1, CP, 10)], [cp()]],
    ['a plan started and ended', [start('start', 1, CP, 10), end('end', 30)], [cp({ endedAt: day(30) })]],
    [
      'a plan action created, then done',
      [start('start', 1, CP, 10), action('a1', 2, 'A-1', 'open'), action('a1-done', 9, 'A-1', 'done')],
      [
        cp({
          actions: [
            {
              ref: 'A-1',
              description: 'Action A-1',
              status: 'done',
              dueDate: '2026-03-20',
              statusChangeId: 'sc-a1-done',
            },
          ],
        }),
      ],
    ],
    [
      'actions in reference order, each keyed by its plan and reference',
      [
        start('start', 1, CP, 10),
        action('b', 2, 'B', 'open', null),
        action('a', 3, 'A', 'open', '2026-04-01'),
        action('b2', 4, 'B', 'open', '2026-03-10'),
      ],
      [
        cp({
          actions: [
            {
              ref: 'A',
              description: 'Action A',
              status: 'open',
              dueDate: '2026-04-01',
              statusChangeId: 'sc-a',
            },
            {
              ref: 'B',
              description: 'Action B',
              status: 'open',
              dueDate: '2026-03-10',
              statusChangeId: 'sc-b2',
            },
          ],
        }),
      ],
    ],
    [
      'a visit that saw the subject, naming its plan',
      [start('start', 1, CP, 10), visit('v1', 4, 'seen', CP)],
      [cp({ lastSeenVisitAt: day(4), lastSeenVisitStatusChangeId: 'sc-v1' })],
    ],
    [
      "a visit naming no plan counts for every plan of the agency open at the time, not another agency's",
      [
        start('start', 1, CP, 10),
        start('cin', 2, CIN),
        start('adult', 1, { ref: 'AS-1', kind: 'adult-safeguarding' }, undefined, ADULTS),
        visit('v1', 4, 'seen'),
      ],
      [
        cp({ lastSeenVisitAt: day(4), lastSeenVisitStatusChangeId: 'sc-v1' }),
        {
          ...cp({
            ref: 'AS-1',
            kind: 'adult-safeguarding',
            agencyId: ADULTS,
            startedStatusChangeId: 'sc-adult',
          }),
          visitFrequencyDays: null,
        },
        {
          ...cp({ ref: 'CIN-1', kind: 'child-in-need', startedAt: day(2), startedStatusChangeId: 'sc-cin' }),
          visitFrequencyDays: null,
          lastSeenVisitAt: day(4),
          lastSeenVisitStatusChangeId: 'sc-v1',
        },
      ],
    ],
    [
      'a visit naming no plan does not count for a plan ended before it or started after it',
      [start('start', 1, CP, 10), end('end', 3), start('cin', 9, CIN), visit('v1', 5, 'seen')],
      [
        cp({ endedAt: day(3) }),
        {
          ...cp({ ref: 'CIN-1', kind: 'child-in-need', startedAt: day(9), startedStatusChangeId: 'sc-cin' }),
          visitFrequencyDays: null,
        },
      ],
    ],
    ['a no-access visit moves no plan', [start('start', 1, CP, 10), visit('v1', 4, 'no-access', CP)], [cp()]],
    ['an action reported before its plan started waits for the start', [action('a1', 2, 'A-1', 'open')], []],
  ])('%s', (_, changes, expected) => {
    expect(snapshots(changes)).toEqual(expected);
  });

  it.each<[string, StatusChangeMessage[], StatusChangeMessage[]]>([
    [
      'a late, older action report cannot undo a newer one',
      [start('start', 1, CP, 10), action('a1', 2, 'A-1', 'open'), action('a1-done', 9, 'A-1', 'done')],
      [start('start', 1, CP, 10), action('a1-done', 9, 'A-1', 'done'), action('a1', 2, 'A-1', 'open')],
    ],
    [
      'an older visit after a newer one',
      [start('start', 1, CP, 10), visit('v1', 4, 'seen', CP), visit('v2', 8, 'seen', CP)],
      [start('start', 1, CP, 10), visit('v2', 8, 'seen', CP), visit('v1', 4, 'seen', CP)],
    ],
    [
      'an end, an action and a visit before the start',
      [start('start', 1, CP, 10), action('a1', 2, 'A-1', 'open'), visit('v1', 4, 'seen', CP), end('end', 30)],
      [end('end', 30), visit('v1', 4, 'seen', CP), action('a1', 2, 'A-1', 'open'), start('start', 1, CP, 10)],
    ],
    [
      'an earlier end after a later one',
      [start('start', 1, CP, 10), end('end1', 20), end('end2', 30)],
      [start('start', 1, CP, 10), end('end2', 30), end('end1', 20)],
    ],
  ])('gives the same plans whatever order the reports arrive in: %s', (_, inOrder, shuffled) => {
    expect(snapshots(shuffled)).toEqual(snapshots(inOrder));
  });

  it('keeps the earliest start of a plan reported twice, and fills in a missing visit frequency', () => {
    expect(snapshots([start('start', 1), start('again', 5, CP, 14)])).toEqual([
      cp({ visitFrequencyDays: 14 }),
    ]);
    expect(snapshots([start('late', 5, CP, 14), start('start', 1, CP, 10)])).toEqual([cp()]);
  });

  it('does not count a visit made before the plan began', () => {
    expect(snapshots([visit('v1', 1, 'seen', CP), start('start', 3, CP, 10)])).toEqual([
      cp({ startedAt: day(3) }),
    ]);
  });

  it('keeps when an action was first reported done, and clears it when reopened', () => {
    const done = fold([start('start', 1), action('d1', 5, 'A-1', 'done'), action('d2', 7, 'A-1', 'done')]);
    expect(done.get(planKey(LA, 'CP-1'))?.actions[0]).toMatchObject({ doneAt: day(5), asOf: day(7) });
    const late = fold([start('start', 1), action('d2', 7, 'A-1', 'done'), action('d1', 5, 'A-1', 'done')]);
    expect(late.get(planKey(LA, 'CP-1'))?.actions[0]).toMatchObject({
      doneAt: day(5),
      statusChangeId: 'sc-d2',
    });
    const reopened = fold([start('start', 1), action('d1', 5, 'A-1', 'done'), action('o', 8, 'A-1', 'open')]);
    expect(reopened.get(planKey(LA, 'CP-1'))?.actions[0]).toMatchObject({ status: 'open', doneAt: null });
  });

  it('says which plans a change moved, and none when it moves nothing', () => {
    const plans = fold([start('start', 1, CP, 10)]);
    expect(applyPlans(plans, visit('v1', 4, 'seen')).changed).toEqual([planKey(LA, 'CP-1')]);
    const unchanged = applyPlans(plans, start('start', 1, CP, 10));
    expect(unchanged).toEqual({ plans, changed: [] });
    expect(
      applyPlans(plans, la('t', 'threshold-judgement', 2, { threshold: 'child-protection' })).changed,
    ).toEqual([]);
  });
});
