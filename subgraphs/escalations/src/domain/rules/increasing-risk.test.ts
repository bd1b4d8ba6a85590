import type {
  AgencyPositionSnapshot,
  CaseSignalSnapshot,
  CaseSnapshot,
  IncreasingRiskPolicy,
  StatusChangeKind,
  StatusFacts,
} from '@mash/schema';
import { englandAndWalesCalendar } from '../calendars';
import type { AgencyRef, RuleContext } from './finding';
import { increasingRiskRule, riskSignal } from './increasing-risk';

const POLICE = 'agency-police';
const LA = 'agency-la';
const HEALTH = 'agency-health';
const agencies: AgencyRef[] = [
  { id: POLICE, name: 'Thames Valley Police', type: 'police' },
  { id: LA, name: "Milton Keynes Council Children's Services", type: 'la-children' },
  { id: HEALTH, name: 'Milton Keynes University Hospital', type: 'health' },
];
const NOW = '2026-06-10T09:00:00.000Z';
const ctx = (now = NOW): RuleContext => ({
  now: new Date(now),
  calendar: englandAndWalesCalendar(),
  agencies,
});

const trigger: IncreasingRiskPolicy = {
  ground: 'increasing-risk',
  enabled: true,
  dashHighScore: 14,
  maracReferral: true,
  protectionNoticeRatings: ['red'],
  missingEpisode: true,
  localAuthorityBelow: 'child-protection',
  whenCaseClosed: true,
  signalWithin: { amount: 28, unit: 'calendar-days' },
  parties: { raising: ['police', 'health', 'education'], receiving: 'la-children' },
};

function signal(id: string, kind: StatusChangeKind, at: string, facts: StatusFacts = {}): CaseSignalSnapshot {
  return { statusChangeId: id, agencyId: POLICE, family: 'police', kind, occurredAt: at, facts };
}
const dash = (score: number, at = '2026-06-08T20:00:00.000Z') =>
  signal('sc-dash', 'risk-assessment', at, { dashScore: score });
const notice = (rating: 'red' | 'amber', at = '2026-06-09T01:00:00.000Z') =>
  signal('sc-notice', 'protection-notice', at, { bragRating: rating });
const marac = (at = '2026-06-09T12:00:00.000Z') => signal('sc-marac', 'marac-referral', at);
const missing = (status: 'missing' | 'returned', at = '2026-06-09T22:00:00.000Z') =>
  signal(`sc-missing-${status}`, 'missing-episode', at, { missingEpisode: { ref: 'm-1', status } });

function laPosition(threshold: AgencyPositionSnapshot['threshold']): AgencyPositionSnapshot {
  return {
    agencyId: LA,
    threshold,
    thresholdStatusChangeId: threshold ? 'sc-la' : null,
    riskLevel: null,
    riskStatusChangeId: null,
    referralOutcome: null,
    referralStatusChangeId: null,
    asOf: '2026-06-01T09:00:00.000Z',
  };
}

function snapshot(signals: CaseSignalSnapshot[], p: Partial<CaseSnapshot> = {}): CaseSnapshot {
  return {
    id: 'case-1',
    partnershipId: 'partnership-1',
    subjectId: 'subject-1',
    status: 'open',
    involvements: [
      { agencyId: POLICE, open: true },
      { agencyId: LA, open: true },
    ],
    positions: [laPosition('early-help')],
    signals,
    ...p,
  };
}

describe('increasing risk rule', () => {
  it('raises a high DASH score while the local authority judges early help, police to the local authority', () => {
    expect(increasingRiskRule(snapshot([dash(14)]), trigger, ctx())).toEqual([
      {
        ground: 'increasing-risk',
        raisingAgencyId: POLICE,
        receivingAgencyId: LA,
        evidence: ['sc-dash'],
        since: new Date('2026-06-08T20:00:00.000Z'),
        dueAt: new Date('2026-06-08T20:00:00.000Z'),
        reason:
          'Risk is increasing: Thames Valley Police reports a DASH risk assessment at or above the high-risk score ' +
          "of 14, while Milton Keynes Council Children's Services judges early help.",
      },
    ]);
  });

  it.each<{ what: string; signals: CaseSignalSnapshot[]; evidence: string[] }>([
    { what: 'a MARAC referral', signals: [marac()], evidence: ['sc-marac'] },
    { what: 'a red protection notice', signals: [notice('red')], evidence: ['sc-notice'] },
    { what: 'a new missing episode', signals: [missing('missing')], evidence: ['sc-missing-missing'] },
    {
      what: 'several signals, oldest first',
      signals: [missing('missing'), marac(), notice('red'), dash(20)],
      evidence: ['sc-dash', 'sc-notice', 'sc-marac', 'sc-missing-missing'],
    },
  ])('raises $what', ({ signals, evidence }) => {
    expect(increasingRiskRule(snapshot(signals), trigger, ctx())).toEqual([
      expect.objectContaining({ raisingAgencyId: POLICE, receivingAgencyId: LA, evidence }),
    ]);
  });

  it.each<{ what: string; case: Partial<CaseSnapshot>; reason: string }>([
    {
      what: 'has closed its involvement',
      case: {
        involvements: [
          { agencyId: POLICE, open: true },
          { agencyId: LA, open: false },
        ],
        positions: [laPosition('child-protection')],
      },
      reason: "Milton Keynes Council Children's Services has closed its involvement",
    },
    {
      what: 'is on a closed case',
      case: { status: 'closed', positions: [laPosition('child-protection')] },
      reason: 'the case is closed',
    },
    {
      what: 'is not involved at all (the partnership’s local authority receives it)',
      case: { involvements: [{ agencyId: POLICE, open: true }], positions: [] },
      reason: "Milton Keynes Council Children's Services is not involved in the case",
    },
    {
      what: 'has made no threshold judgement',
      case: { positions: [laPosition(null)] },
      reason: "Milton Keynes Council Children's Services has made no threshold judgement",
    },
  ])('raises while the local authority $what', (row) => {
    const [finding] = increasingRiskRule(snapshot([marac()], row.case), trigger, ctx());
    expect(finding?.receivingAgencyId).toBe(LA);
    expect(finding?.reason).toBe(
      `Risk is increasing: Thames Valley Police reports a MARAC referral, while ${row.reason}.`,
    );
  });

  it.each<{
    what: string;
    signals: CaseSignalSnapshot[];
    case?: Partial<CaseSnapshot>;
    policy?: Partial<IncreasingRiskPolicy>;
  }>([
    {
      what: 'the local authority already judges child protection',
      signals: [dash(20)],
      case: { positions: [laPosition('child-protection')] },
    },
    { what: 'a DASH score under the high-risk score', signals: [dash(13)] },
    { what: 'an amber protection notice', signals: [notice('amber')] },
    { what: 'a return from a missing episode', signals: [missing('returned')] },
    {
      what: 'a signal older than the policy allows',
      // 28 days before 10 June 09:00 is 13 May 09:00
      signals: [dash(20, '2026-05-13T08:59:00.000Z')],
    },
    {
      what: 'a MARAC referral the policy does not count',
      signals: [marac()],
      policy: { maracReferral: false },
    },
    {
      what: 'a missing episode the policy does not count',
      signals: [missing('missing')],
      policy: { missingEpisode: false },
    },
    {
      what: 'a closed local authority involvement at child protection when the policy ignores closure',
      signals: [marac()],
      case: {
        involvements: [
          { agencyId: POLICE, open: true },
          { agencyId: LA, open: false },
        ],
        positions: [laPosition('child-protection')],
      },
      policy: { whenCaseClosed: false },
    },
    { what: 'a disabled trigger', signals: [dash(20)], policy: { enabled: false } },
    { what: 'no signals', signals: [] },
  ])('raises nothing for $what', (row) => {
    expect(increasingRiskRule(snapshot(row.signals, row.case), { ...trigger, ...row.policy }, ctx())).toEqual(
      [],
    );
  });

  it('counts a signal exactly at the edge of its time', () => {
    expect(increasingRiskRule(snapshot([dash(20, '2026-05-13T09:00:00.000Z')]), trigger, ctx())).toHaveLength(
      1,
    );
  });

  it('judges the local authority against a lower bar when the policy sets one', () => {
    const s = snapshot([dash(20)], { positions: [laPosition('child-in-need')] });
    expect(increasingRiskRule(s, { ...trigger, localAuthorityBelow: 'child-in-need' }, ctx())).toEqual([]);
    expect(increasingRiskRule(s, trigger, ctx())).toHaveLength(1);
  });

  it('reads each risk signal the policy counts', () => {
    expect(riskSignal({ kind: 'risk-assessment', facts: {} }, trigger)).toBeNull();
    expect(riskSignal({ kind: 'protection-notice', facts: { bragRating: 'red' } }, trigger)).toBe(
      'a red protection notice',
    );
    expect(riskSignal({ kind: 'visit', facts: { visit: { outcome: 'no-access' } } }, trigger)).toBeNull();
  });
});
