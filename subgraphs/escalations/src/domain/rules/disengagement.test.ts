import type {
  CaseSignalSnapshot,
  CaseSnapshot,
  DisengagementPolicy,
  StatusChangeKind,
  StatusFacts,
} from '@mash/schema';
import { englandAndWalesCalendar } from '../calendars';
import type { AgencyRef, RuleContext } from './finding';
import { disengagementRule, disengagementSignal } from './disengagement';

const POLICE = 'agency-police';
const LA = 'agency-la';
const HEALTH = 'agency-health';
const SCHOOL = 'agency-school';
const agencies: AgencyRef[] = [
  { id: POLICE, name: 'Thames Valley Police', type: 'police' },
  { id: LA, name: "Milton Keynes Council Children's Services", type: 'la-children' },
  { id: HEALTH, name: 'Milton Keynes University Hospital', type: 'health' },
  { id: SCHOOL, name: 'Oakgrove School', type: 'education' },
];
const ctx = (now: string): RuleContext => ({
  now: new Date(now),
  calendar: englandAndWalesCalendar(),
  agencies,
});

const trigger: DisengagementPolicy = {
  ground: 'disengagement',
  enabled: true,
  window: { amount: 28, unit: 'calendar-days' },
  minimumSignals: 2,
  minimumAgencies: 2,
  attendanceBelowPercent: 90,
  signals: [
    'was-not-brought',
    'did-not-attend',
    'no-access-visit',
    'low-attendance',
    'unexplained-absence',
    'missing-episode',
    'child-missing-education',
  ],
  parties: { raising: ['health', 'education', 'police'], receiving: 'la-children' },
};

const family = {
  [POLICE]: 'police',
  [LA]: 'la-children',
  [HEALTH]: 'health',
  [SCHOOL]: 'education',
} as const;

function signal(
  id: string,
  agencyId: keyof typeof family,
  kind: StatusChangeKind,
  occurredAt: string,
  facts: StatusFacts = {},
): CaseSignalSnapshot {
  return { statusChangeId: id, agencyId, family: family[agencyId], kind, occurredAt, facts };
}

const wasNotBrought = (id: string, at: string) =>
  signal(id, HEALTH, 'appointment-not-attended', at, { appointment: { attendance: 'was-not-brought' } });
const noAccess = (id: string, at: string) => signal(id, LA, 'visit', at, { visit: { outcome: 'no-access' } });
const missing = (id: string, at: string) =>
  signal(id, POLICE, 'missing-episode', at, { missingEpisode: { ref: `m-${id}`, status: 'missing' } });
const lowAttendance = (id: string, at: string, percentage: number) =>
  signal(id, SCHOOL, 'attendance-below-threshold', at, {
    attendance: { percentage, periodStart: '2026-04-20', periodEnd: '2026-05-29' },
  });

function snapshot(signals: CaseSignalSnapshot[], p: Partial<CaseSnapshot> = {}): CaseSnapshot {
  return {
    id: 'case-1',
    partnershipId: 'partnership-1',
    subjectId: 'subject-1',
    status: 'open',
    involvements: [
      { agencyId: LA, open: true },
      { agencyId: HEALTH, open: true },
      { agencyId: POLICE, open: true },
      { agencyId: SCHOOL, open: true },
    ],
    positions: [],
    // newest first, as the cases service sends them
    signals: [...signals].sort((a, b) => b.occurredAt.localeCompare(a.occurredAt)),
    ...p,
  };
}

describe('disengagement rule', () => {
  it('raises two signals from two agencies within 28 days, health raising to the local authority, due at once', () => {
    const s = snapshot([
      wasNotBrought('sc-wnb', '2026-05-04T09:00:00.000Z'),
      missing('sc-missing', '2026-05-20T22:00:00.000Z'),
    ]);
    expect(disengagementRule(s, trigger, ctx('2026-05-21T08:00:00.000Z'))).toEqual([
      {
        ground: 'disengagement',
        raisingAgencyId: HEALTH,
        receivingAgencyId: LA,
        evidence: ['sc-wnb', 'sc-missing'],
        since: new Date('2026-05-04T09:00:00.000Z'),
        dueAt: new Date('2026-05-20T22:00:00.000Z'),
        reason:
          '2 signs of disengagement from 2 agencies within 28 days: Milton Keynes University Hospital (not ' +
          'brought to an appointment), Thames Valley Police (reported missing).',
      },
    ]);
  });

  it.each<{
    what: string;
    signals: CaseSignalSnapshot[];
    now: string;
    policy?: Partial<DisengagementPolicy>;
  }>([
    {
      what: 'one agency alone, however many signals',
      signals: [
        wasNotBrought('sc-1', '2026-05-04T09:00:00.000Z'),
        wasNotBrought('sc-2', '2026-05-11T09:00:00.000Z'),
        wasNotBrought('sc-3', '2026-05-18T09:00:00.000Z'),
      ],
      now: '2026-05-19T09:00:00.000Z',
    },
    {
      what: 'two signals further apart than the window',
      // 4 May 09:00 + 28 days = 1 June 09:00: a signal one minute later is outside.
      signals: [
        wasNotBrought('sc-1', '2026-05-04T09:00:00.000Z'),
        missing('sc-2', '2026-06-01T09:01:00.000Z'),
      ],
      now: '2026-06-01T10:00:00.000Z',
    },
    {
      what: 'a window that ended long ago',
      signals: [
        wasNotBrought('sc-1', '2026-01-05T09:00:00.000Z'),
        missing('sc-2', '2026-01-10T09:00:00.000Z'),
      ],
      now: '2026-05-01T09:00:00.000Z',
    },
    {
      what: 'attendance at the threshold, not under it',
      signals: [
        wasNotBrought('sc-1', '2026-05-04T09:00:00.000Z'),
        lowAttendance('sc-2', '2026-05-29T15:00:00.000Z', 90),
      ],
      now: '2026-05-30T09:00:00.000Z',
    },
    {
      what: 'a return from a missing episode, and a visit in which the child was seen',
      signals: [
        signal('sc-1', POLICE, 'missing-episode', '2026-05-04T09:00:00.000Z', {
          missingEpisode: { ref: 'm-1', status: 'returned' },
        }),
        signal('sc-2', LA, 'visit', '2026-05-05T09:00:00.000Z', { visit: { outcome: 'seen' } }),
      ],
      now: '2026-05-06T09:00:00.000Z',
    },
    {
      what: 'signals the policy does not count',
      signals: [
        wasNotBrought('sc-1', '2026-05-04T09:00:00.000Z'),
        missing('sc-2', '2026-05-05T09:00:00.000Z'),
      ],
      now: '2026-05-06T09:00:00.000Z',
      policy: { signals: ['no-access-visit', 'low-attendance'] },
    },
    {
      what: 'fewer agencies than the policy asks',
      signals: [
        wasNotBrought('sc-1', '2026-05-04T09:00:00.000Z'),
        missing('sc-2', '2026-05-05T09:00:00.000Z'),
      ],
      now: '2026-05-06T09:00:00.000Z',
      policy: { minimumAgencies: 3 },
    },
    {
      what: 'a disabled trigger',
      signals: [
        wasNotBrought('sc-1', '2026-05-04T09:00:00.000Z'),
        missing('sc-2', '2026-05-05T09:00:00.000Z'),
      ],
      now: '2026-05-06T09:00:00.000Z',
      policy: { enabled: false },
    },
  ])('raises nothing for $what', (row) => {
    expect(disengagementRule(snapshot(row.signals), { ...trigger, ...row.policy }, ctx(row.now))).toEqual([]);
  });

  it('counts two signals exactly a window apart, and still raises late news of a recent window', () => {
    const s = snapshot([
      wasNotBrought('sc-1', '2026-05-04T09:00:00.000Z'),
      missing('sc-2', '2026-06-01T09:00:00.000Z'),
    ]);
    // Learnt of three weeks after the second signal: its window ended less than a window ago.
    expect(disengagementRule(s, trigger, ctx('2026-06-22T09:00:00.000Z'))).toEqual([
      expect.objectContaining({ evidence: ['sc-1', 'sc-2'], dueAt: new Date('2026-06-01T09:00:00.000Z') }),
    ]);
  });

  it('takes the most recent window that holds enough signals, with every signal in it as evidence', () => {
    const s = snapshot([
      noAccess('sc-old', '2026-03-01T10:00:00.000Z'), // outside the window of the others
      lowAttendance('sc-attendance', '2026-05-01T15:00:00.000Z', 84),
      noAccess('sc-visit', '2026-05-12T10:00:00.000Z'),
      wasNotBrought('sc-wnb', '2026-05-20T09:00:00.000Z'),
    ]);
    const [finding, ...more] = disengagementRule(s, trigger, ctx('2026-05-21T09:00:00.000Z'));
    expect(more).toEqual([]);
    expect(finding).toMatchObject({
      raisingAgencyId: HEALTH,
      receivingAgencyId: LA,
      evidence: ['sc-attendance', 'sc-visit', 'sc-wnb'],
      since: new Date('2026-05-01T15:00:00.000Z'),
      // the count of two from two agencies was met by the no-access visit
      dueAt: new Date('2026-05-12T10:00:00.000Z'),
      reason:
        '3 signs of disengagement from 3 agencies within 28 days: Oakgrove School (attendance below 90%), ' +
        "Milton Keynes Council Children's Services (no access on a visit), Milton Keynes University Hospital " +
        '(not brought to an appointment).',
    });
  });

  it('says how often one agency saw the same signal', () => {
    const s = snapshot([
      wasNotBrought('sc-1', '2026-05-04T09:00:00.000Z'),
      wasNotBrought('sc-2', '2026-05-11T09:00:00.000Z'),
      missing('sc-3', '2026-05-12T09:00:00.000Z'),
    ]);
    expect(disengagementRule(s, trigger, ctx('2026-05-12T10:00:00.000Z'))[0]?.reason).toBe(
      '3 signs of disengagement from 2 agencies within 28 days: Milton Keynes University Hospital (not brought ' +
        'to an appointment, twice), Thames Valley Police (reported missing).',
    );
  });

  it('lets a signalling agency raise when no agency of a raising type is involved', () => {
    const s = snapshot(
      [noAccess('sc-1', '2026-05-04T09:00:00.000Z'), missing('sc-2', '2026-05-05T09:00:00.000Z')],
      {
        involvements: [
          { agencyId: LA, open: true },
          { agencyId: POLICE, open: false },
        ],
      },
    );
    expect(disengagementRule(s, trigger, ctx('2026-05-06T09:00:00.000Z'))).toEqual([
      expect.objectContaining({ raisingAgencyId: POLICE, receivingAgencyId: LA }),
    ]);
  });

  it.each<{ kind: StatusChangeKind; facts: StatusFacts; signal: string | null }>([
    {
      kind: 'appointment-not-attended',
      facts: { appointment: { attendance: 'did-not-attend' } },
      signal: 'did-not-attend',
    },
    { kind: 'appointment-not-attended', facts: {}, signal: 'was-not-brought' },
    { kind: 'visit', facts: { visit: { outcome: 'no-access' } }, signal: 'no-access-visit' },
    { kind: 'visit', facts: {}, signal: null },
    {
      kind: 'attendance-below-threshold',
      facts: { attendance: { percentage: 89.9, periodStart: '2026-01-05', periodEnd: '2026-02-13' } },
      signal: 'low-attendance',
    },
    { kind: 'attendance-below-threshold', facts: {}, signal: null },
    { kind: 'unexplained-absence', facts: {}, signal: 'unexplained-absence' },
    {
      kind: 'missing-episode',
      facts: { missingEpisode: { ref: 'm', status: 'missing' } },
      signal: 'missing-episode',
    },
    { kind: 'child-missing-education', facts: {}, signal: 'child-missing-education' },
    { kind: 'suspension-or-exclusion', facts: { exclusion: { type: 'suspension' } }, signal: null },
    { kind: 'risk-assessment', facts: { dashScore: 20 }, signal: null },
  ])('reads $kind $facts as $signal', ({ kind, facts, signal: expected }) => {
    expect(disengagementSignal({ kind, facts }, trigger, new Set(trigger.signals))).toBe(expected);
  });
});
