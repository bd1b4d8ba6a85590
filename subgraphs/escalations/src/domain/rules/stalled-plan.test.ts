import type {
  CaseSnapshot,
  ChildProtectionSnapshot,
  PlanActionSnapshot,
  PlanSnapshot,
  StalledPlanPolicy,
} from '@mash/schema';
import { englandAndWalesCalendar } from '../calendars';
import type { AgencyRef, RuleContext } from './finding';
import { endOfDay, stalledPlanRule } from './stalled-plan';

const POLICE = 'agency-police';
const LA = 'agency-la';
const HEALTH = 'agency-health';
const agencies: AgencyRef[] = [
  { id: POLICE, name: 'Thames Valley Police', type: 'police' },
  { id: LA, name: "Milton Keynes Council Children's Services", type: 'la-children' },
  { id: HEALTH, name: 'Milton Keynes University Hospital', type: 'health' },
];
const calendar = englandAndWalesCalendar();
const ctx = (now = '2026-06-01T09:00:00.000Z'): RuleContext => ({ now: new Date(now), calendar, agencies });

const trigger: StalledPlanPolicy = {
  ground: 'stalled-plan',
  enabled: true,
  initialConferenceWithin: { amount: 15, unit: 'working-days' },
  firstCoreGroupWithin: { amount: 10, unit: 'working-days' },
  firstReviewWithin: { amount: 3, unit: 'calendar-months' },
  reviewEvery: { amount: 6, unit: 'calendar-months' },
  actionOverdueAfter: { amount: 5, unit: 'working-days' },
  defaultVisitFrequencyDays: null,
  parties: { raising: ['health', 'police', 'education'], receiving: 'la-children' },
};

function snapshot(p: Partial<CaseSnapshot> = {}): CaseSnapshot {
  return {
    id: 'case-1',
    partnershipId: 'partnership-1',
    subjectId: 'subject-1',
    status: 'open',
    involvements: [
      { agencyId: LA, open: true },
      { agencyId: HEALTH, open: true },
    ],
    positions: [],
    ...p,
  };
}

function process(p: Partial<ChildProtectionSnapshot>): ChildProtectionSnapshot {
  return {
    agencyId: LA,
    enquiryStartedAt: null,
    enquiryStatusChangeId: null,
    initialConferenceAt: null,
    initialConferenceStatusChangeId: null,
    planDecided: false,
    firstCoreGroupAt: null,
    lastCoreGroupAt: null,
    lastCoreGroupStatusChangeId: null,
    lastReviewConferenceAt: null,
    lastReviewConferenceStatusChangeId: null,
    ...p,
  };
}

function plan(p: Partial<PlanSnapshot>): PlanSnapshot {
  return {
    ref: 'plan-1',
    agencyId: LA,
    kind: 'child-protection',
    startedAt: '2026-05-01T09:00:00.000Z',
    startedStatusChangeId: 'sc-plan-started',
    endedAt: null,
    visitFrequencyDays: null,
    lastSeenVisitAt: null,
    lastSeenVisitStatusChangeId: null,
    actions: [],
    ...p,
  };
}

function action(p: Partial<PlanActionSnapshot>): PlanActionSnapshot {
  return {
    ref: 'action-1',
    description: 'Refer to the parenting programme',
    status: 'open',
    dueDate: '2026-07-01',
    statusChangeId: 'sc-action',
    ...p,
  };
}

const enquiry = (at: string) => process({ enquiryStartedAt: at, enquiryStatusChangeId: 'sc-strategy' });
const conferenced = (at: string, more: Partial<ChildProtectionSnapshot> = {}) =>
  process({
    enquiryStartedAt: '2026-01-05T10:00:00.000Z',
    enquiryStatusChangeId: 'sc-strategy',
    initialConferenceAt: at,
    initialConferenceStatusChangeId: 'sc-initial',
    planDecided: true,
    ...more,
  });

describe('stalled plan rule: each expectation is due at its statutory or planned deadline', () => {
  it.each<{
    what: string;
    case: Partial<CaseSnapshot>;
    policy?: Partial<StalledPlanPolicy>;
    concern: string;
    dueAt: string;
    evidence: string[];
  }>([
    {
      what: 'initial conference 15 working days after the strategy discussion, over Christmas and New Year',
      // Fri 18 Dec 2026: 25 and 28 December (Boxing Day's substitute) and 1 January 2027 are bank holidays.
      case: { childProtection: enquiry('2026-12-18T10:00:00.000Z') },
      concern: 'initial-conference',
      dueAt: '2027-01-13T10:00:00.000Z',
      evidence: ['sc-strategy'],
    },
    {
      what: 'initial conference across the October clock change, at the same London time of day',
      // Thu 15 Oct 2026 10:00 BST (09:00Z); clocks go back on Sun 25 Oct; due Thu 5 Nov 10:00 GMT.
      case: { childProtection: enquiry('2026-10-15T09:00:00.000Z') },
      concern: 'initial-conference',
      dueAt: '2026-11-05T10:00:00.000Z',
      evidence: ['sc-strategy'],
    },
    {
      what: 'first core group 10 working days after the initial conference, over Christmas and New Year',
      case: { childProtection: conferenced('2026-12-21T14:00:00.000Z') },
      concern: 'first-core-group',
      dueAt: '2027-01-07T14:00:00.000Z',
      evidence: ['sc-initial'],
    },
    {
      what: 'first review 3 months after the initial conference, on the last day of a shorter month',
      case: { childProtection: conferenced('2026-11-30T10:00:00.000Z') },
      concern: 'review-conference',
      dueAt: '2027-02-28T10:00:00.000Z',
      evidence: ['sc-initial'],
    },
    {
      what: 'next review 6 months after the last review, across the clock change',
      // 10 Sep 2026 10:00 BST (09:00Z) → 10 Mar 2027 10:00 GMT.
      case: {
        childProtection: conferenced('2026-06-10T09:00:00.000Z', {
          firstCoreGroupAt: '2026-06-17T09:00:00.000Z',
          lastReviewConferenceAt: '2026-09-10T09:00:00.000Z',
          lastReviewConferenceStatusChangeId: 'sc-review',
        }),
      },
      concern: 'review-conference',
      dueAt: '2027-03-10T10:00:00.000Z',
      evidence: ['sc-review'],
    },
    {
      what: 'a plan action due on Christmas Eve, overdue one working day after the holidays',
      // End of Thu 24 Dec; 25, 26, 27, 28 Dec are not working days; 29 Dec is the first; overdue 30 Dec 00:00.
      case: { plans: [plan({ actions: [action({ dueDate: '2026-12-24' })] })] },
      policy: { actionOverdueAfter: { amount: 1, unit: 'working-days' } },
      concern: 'action:plan-1:action-1',
      dueAt: '2026-12-30T00:00:00.000Z',
      evidence: ['sc-action'],
    },
    {
      what: 'a plan action due in summer, at London midnight after 5 working days',
      case: { plans: [plan({ actions: [action({ dueDate: '2026-07-01' })] })] },
      concern: 'action:plan-1:action-1',
      dueAt: '2026-07-08T23:00:00.000Z',
      evidence: ['sc-action'],
    },
    {
      what: "a visit within the plan's frequency of the plan's start, across the clock change",
      case: { plans: [plan({ startedAt: '2026-10-20T09:00:00.000Z', visitFrequencyDays: 10 })] },
      concern: 'visit:plan-1',
      dueAt: '2026-10-30T10:00:00.000Z',
      evidence: ['sc-plan-started'],
    },
    {
      what: 'a visit within the frequency of the last visit in which the child was seen, across the spring change',
      case: {
        plans: [
          plan({
            visitFrequencyDays: 7,
            lastSeenVisitAt: '2026-03-25T12:00:00.000Z',
            lastSeenVisitStatusChangeId: 'sc-visit',
          }),
        ],
      },
      concern: 'visit:plan-1',
      dueAt: '2026-04-01T11:00:00.000Z',
      evidence: ['sc-visit'],
    },
    {
      what: "the policy's default visit frequency for a plan that states none",
      case: { plans: [plan({ startedAt: '2026-05-01T09:00:00.000Z' })] },
      policy: { defaultVisitFrequencyDays: 14 },
      concern: 'visit:plan-1',
      dueAt: '2026-05-15T09:00:00.000Z',
      evidence: ['sc-plan-started'],
    },
  ])('$what', (row) => {
    const findings = stalledPlanRule(snapshot(row.case), { ...trigger, ...row.policy }, ctx());
    const found = findings.find((f) => f.concern === row.concern);
    expect(found).toMatchObject({
      ground: 'stalled-plan',
      raisingAgencyId: HEALTH,
      receivingAgencyId: LA,
      concern: row.concern,
      evidence: row.evidence,
      dueAt: new Date(row.dueAt),
    });
  });

  it('finds exactly the first core group and the first review once the initial conference decided on a plan', () => {
    const findings = stalledPlanRule(
      snapshot({ childProtection: conferenced('2026-06-01T10:00:00.000Z') }),
      trigger,
      ctx(),
    );
    expect(findings).toEqual([
      {
        ground: 'stalled-plan',
        raisingAgencyId: HEALTH,
        receivingAgencyId: LA,
        concern: 'first-core-group',
        evidence: ['sc-initial'],
        since: new Date('2026-06-01T10:00:00.000Z'),
        dueAt: new Date('2026-06-15T10:00:00.000Z'),
        reason:
          'No core group has met within 10 working days of the initial child protection conference on 1 June ' +
          "2026 (Milton Keynes Council Children's Services runs the plan); it was due by 15 June 2026.",
      },
      {
        ground: 'stalled-plan',
        raisingAgencyId: HEALTH,
        receivingAgencyId: LA,
        concern: 'review-conference',
        evidence: ['sc-initial'],
        since: new Date('2026-06-01T10:00:00.000Z'),
        dueAt: new Date('2026-09-01T10:00:00.000Z'),
        reason:
          'No review child protection conference has been held within 3 months of the initial conference on 1 ' +
          "June 2026 (Milton Keynes Council Children's Services runs the plan); it was due by 1 September 2026.",
      },
    ]);
  });

  it('names the local authority and the dates in the reason for a late initial conference, and nothing personal', () => {
    const [finding] = stalledPlanRule(
      snapshot({ childProtection: enquiry('2026-03-02T10:00:00.000Z') }),
      trigger,
      ctx(),
    );
    expect(finding?.reason).toBe(
      "Milton Keynes Council Children's Services has held no initial child protection conference within 15 " +
        'working days of the strategy discussion that started the section 47 enquiry on 2 March 2026; it was due ' +
        'by 23 March 2026.',
    );
    expect(finding?.reason).not.toContain('subject-1');
  });

  it('does not name what an overdue action is about, only whose plan it is and when it was due', () => {
    const [finding] = stalledPlanRule(snapshot({ plans: [plan({ actions: [action({})] })] }), trigger, ctx());
    expect(finding?.reason).toBe(
      "An action of the child protection plan held by Milton Keynes Council Children's Services, due by 1 July " +
        '2026, is still not done 5 working days later.',
    );
  });

  it.each<{ what: string; case: Partial<CaseSnapshot>; policy?: Partial<StalledPlanPolicy> }>([
    { what: 'no child protection process and no plan', case: {} },
    {
      what: 'an initial conference that decided there is to be no plan',
      case: { childProtection: conferenced('2026-06-01T10:00:00.000Z', { planDecided: false }) },
    },
    {
      what: 'a child protection plan that has ended since the initial conference',
      case: {
        childProtection: conferenced('2026-06-01T10:00:00.000Z'),
        plans: [plan({ startedAt: '2026-06-01T10:00:00.000Z', endedAt: '2026-07-01T10:00:00.000Z' })],
      },
    },
    {
      what: 'an ended plan, however overdue its actions and visits',
      case: {
        plans: [plan({ endedAt: '2026-05-20T09:00:00.000Z', visitFrequencyDays: 10, actions: [action({})] })],
      },
    },
    {
      what: 'a child protection plan a later review conference decided to end',
      case: {
        childProtection: conferenced('2026-06-01T10:00:00.000Z', {
          planDecided: false,
          lastReviewConferenceAt: '2026-09-01T10:00:00.000Z',
          lastReviewConferenceStatusChangeId: 'sc-review',
        }),
        plans: [plan({ startedAt: '2026-06-01T10:00:00.000Z', visitFrequencyDays: 10 })],
      },
    },
    {
      what: 'an action that is done, or has no due date',
      case: {
        plans: [plan({ actions: [action({ status: 'done' }), action({ ref: 'action-2', dueDate: null })] })],
      },
    },
    {
      what: 'a plan with no visit frequency when the policy sets no default',
      case: { plans: [plan({})] },
    },
    {
      what: 'a closed case',
      case: { status: 'closed', childProtection: enquiry('2026-05-01T10:00:00.000Z') },
    },
    {
      what: "the local authority's closed involvement",
      case: {
        involvements: [
          { agencyId: LA, open: false },
          { agencyId: HEALTH, open: true },
        ],
        childProtection: enquiry('2026-05-01T10:00:00.000Z'),
        plans: [plan({ visitFrequencyDays: 10 })],
      },
    },
    {
      what: 'no partner agency involved to raise it',
      case: {
        involvements: [{ agencyId: LA, open: true }],
        childProtection: enquiry('2026-05-01T10:00:00.000Z'),
      },
    },
    {
      what: 'a disabled trigger',
      case: { childProtection: enquiry('2026-05-01T10:00:00.000Z') },
      policy: { enabled: false },
    },
  ])('expects nothing for $what', (row) => {
    expect(stalledPlanRule(snapshot(row.case), { ...trigger, ...row.policy }, ctx())).toEqual([]);
  });

  it('lets the partner agency first in the preference order raise, to the local authority that runs the plan', () => {
    const s = snapshot({
      involvements: [
        { agencyId: POLICE, open: true },
        { agencyId: LA, open: true },
        { agencyId: HEALTH, open: false },
      ],
      childProtection: enquiry('2026-05-01T10:00:00.000Z'),
    });
    expect(stalledPlanRule(s, trigger, ctx())).toEqual([
      expect.objectContaining({ raisingAgencyId: POLICE, receivingAgencyId: LA }),
    ]);
  });

  it('ends the core group expectation once the first core group has met, and keeps the review', () => {
    const s = snapshot({
      childProtection: conferenced('2026-06-01T10:00:00.000Z', {
        firstCoreGroupAt: '2026-06-08T10:00:00.000Z',
        lastCoreGroupAt: '2026-06-08T10:00:00.000Z',
        lastCoreGroupStatusChangeId: 'sc-core',
      }),
    });
    expect(stalledPlanRule(s, trigger, ctx()).map((f) => f.concern)).toEqual(['review-conference']);
  });

  it('reads an action due date as the end of that London day', () => {
    expect(endOfDay('2026-12-24')).toEqual(new Date('2026-12-25T00:00:00.000Z'));
    expect(endOfDay('2026-07-01')).toEqual(new Date('2026-07-01T23:00:00.000Z'));
    expect(endOfDay('1 July')).toBeNull();
  });
});
