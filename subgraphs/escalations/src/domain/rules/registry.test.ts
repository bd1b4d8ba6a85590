import {
  AUTOMATIC_GROUNDS,
  type CaseSnapshot,
  type EscalationPolicy,
  type ThresholdDisagreementPolicy,
} from '@mash/schema';
import { englandAndWalesCalendar } from '../calendars';
import type { Finding, RuleContext } from './finding';
import { RULES, runGround, runRules, type RuleRegistry } from './registry';
import { thresholdDisagreementRule } from './threshold-disagreement';

const ctx: RuleContext = {
  now: new Date('2026-06-01T09:00:00.000Z'),
  calendar: englandAndWalesCalendar(),
  agencies: [
    { id: 'police', name: 'Thames Valley Police', type: 'police' },
    { id: 'la', name: "Milton Keynes Council Children's Services", type: 'la-children' },
  ],
};
const threshold: ThresholdDisagreementPolicy = {
  ground: 'threshold-disagreement',
  enabled: true,
  minimumSteps: 2,
  highRiskNoFurtherAction: true,
  gracePeriod: { amount: 1, unit: 'working-days' },
};
const position = (agencyId: string, p: Partial<CaseSnapshot['positions'][number]>) => ({
  agencyId,
  threshold: null,
  thresholdStatusChangeId: null,
  riskLevel: null,
  riskStatusChangeId: null,
  referralOutcome: null,
  referralStatusChangeId: null,
  asOf: '2026-06-01T09:00:00.000Z',
  ...p,
});
const snapshot: CaseSnapshot = {
  id: 'case-1',
  partnershipId: 'partnership-1',
  subjectId: 'subject-1',
  status: 'open',
  involvements: [
    { agencyId: 'police', open: true },
    { agencyId: 'la', open: true },
  ],
  positions: [
    // Friday 5 June 2026 10:00 BST: one working day's grace ends on Monday 8 June 10:00 BST.
    position('police', {
      threshold: 'child-protection',
      thresholdStatusChangeId: 'sc-police',
      riskLevel: 'high',
      riskStatusChangeId: 'sc-police-risk',
      thresholdSince: '2026-06-05T09:00:00.000Z',
      riskSince: '2026-06-08T12:00:00.000Z',
    }),
    position('la', {
      threshold: 'universal',
      thresholdStatusChangeId: 'sc-la',
      referralOutcome: 'no-further-action',
      referralStatusChangeId: 'sc-la',
      thresholdSince: '2026-06-01T09:00:00.000Z',
      referralSince: '2026-06-01T09:00:00.000Z',
    }),
  ],
};
const policy = (triggers: EscalationPolicy['triggers']): Pick<EscalationPolicy, 'triggers'> => ({ triggers });

describe('the rule registry', () => {
  it('has exactly one rule for every automatic ground', () => {
    expect(Object.keys(RULES).sort()).toEqual([...AUTOMATIC_GROUNDS].sort());
    // @ts-expect-error a registry without a rule for every ground does not compile
    const partial: RuleRegistry = { 'threshold-disagreement': thresholdDisagreementRule };
    expect(partial).toBeDefined();
  });

  it('runs every enabled trigger of the policy through its ground’s rule, with the trigger it was given', () => {
    const seen: string[] = [];
    const spy = <G extends keyof RuleRegistry>(ground: G): RuleRegistry[G] =>
      ((...args: Parameters<RuleRegistry[G]>) => {
        seen.push(`${ground}:${args[1].enabled}`);
        return [] as Finding[];
      }) as RuleRegistry[G];
    const rules: RuleRegistry = {
      'threshold-disagreement': spy('threshold-disagreement'),
      'stalled-plan': spy('stalled-plan'),
      disengagement: spy('disengagement'),
      'increasing-risk': spy('increasing-risk'),
    };
    runRules(
      snapshot,
      policy([
        threshold,
        { ...threshold, ground: 'threshold-disagreement', enabled: false },
        {
          ground: 'increasing-risk',
          enabled: true,
          dashHighScore: 14,
          maracReferral: true,
          protectionNoticeRatings: ['red'],
          missingEpisode: true,
          localAuthorityBelow: 'child-protection',
          whenCaseClosed: true,
          signalWithin: { amount: 28, unit: 'calendar-days' },
          parties: { raising: ['police'], receiving: 'la-children' },
        },
      ]),
      ctx,
      rules,
    );
    expect(seen).toEqual(['threshold-disagreement:true', 'increasing-risk:true']);
  });

  it('finds nothing for a ground the policy has no trigger for', () => {
    expect(runGround(snapshot, policy([]), 'threshold-disagreement', ctx)).toEqual([]);
  });

  it('makes a threshold disagreement due a grace period after it began, the earliest of its reasons', () => {
    const [finding, ...more] = runGround(snapshot, policy([threshold]), 'threshold-disagreement', ctx);
    expect(more).toEqual([]);
    expect(finding).toMatchObject({
      raisingAgencyId: 'police',
      receivingAgencyId: 'la',
      evidence: ['sc-police', 'sc-la', 'sc-police-risk'],
      // the later reason (high risk against no further action, since Monday 13:00 BST) began last ...
      since: new Date('2026-06-08T12:00:00.000Z'),
      // ... but the thresholds have been apart since Friday: due Monday 10:00 BST, not Tuesday
      dueAt: new Date('2026-06-08T09:00:00.000Z'),
      reason:
        "Thames Valley Police judges child protection; Milton Keynes Council Children's Services judges " +
        "universal (3 steps apart). Thames Valley Police rates the risk high; Milton Keynes Council Children's " +
        'Services ended its referral with no further action.',
    });
    expect(finding?.concern).toBeUndefined();
  });
});
