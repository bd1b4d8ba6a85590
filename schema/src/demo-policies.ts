import type {
  DisengagementPolicy,
  EscalationPolicy,
  IncreasingRiskPolicy,
  StalledPlanPolicy,
  ThresholdDisagreementPolicy,
  Timescale,
} from './policy';

/**
 * The demo partnerships' escalation policies, as data (docs/DOMAIN.md#timescales). Every timescale says where its
 * figure comes from (`basis`, `source`): a partnership's own policy text, statutory guidance, or, where neither
 * gives one, a local default of ours. They live beside the demo ids so that the directory seeds them
 * (`subgraphs/agencies/src/demo`) and the escalation engine's tests run the very same documents. Each call returns
 * a fresh copy.
 */

const MK = 'MK Together Safeguarding Partnership, Escalation Process (seed 004)';
const LINCS =
  'Lincolnshire Safeguarding Children Partnership escalation policy, as reported in docs/DOMAIN.md#timescales ' +
  '(not among the source documents held, so not checked against its text)';
const WT2023 = 'Working Together to Safeguard Children 2023, chapter 3 (child protection conferences)';
const NO_FIGURE = 'no source gives a figure';

const policyText = (amount: number, unit: Timescale['unit'], source: string): Timescale => ({
  amount,
  unit,
  basis: 'policy-text',
  source,
});
const statutory = (amount: number, unit: Timescale['unit'], source: string): Timescale => ({
  amount,
  unit,
  basis: 'statutory',
  source,
});
const localDefault = (amount: number, unit: Timescale['unit'], source: string): Timescale => ({
  amount,
  unit,
  basis: 'local-default',
  source,
});

/** Immediate risk: the sources say not to wait for the stages (seeds 001, 003) but give no figures. */
const immediate = (hours: number): Timescale =>
  localDefault(
    hours,
    'hours',
    'seeds 001 and 003: at immediate risk nobody waits for the stages; no figure given',
  );

/**
 * Cross-agency disagreement (docs/DOMAIN.md#cross-agency-disagreement): two steps apart on the threshold ladder, or
 * high risk against no further action, for one working day. Both figures are local defaults.
 */
export function demoThresholdDisagreement(): ThresholdDisagreementPolicy {
  return {
    ground: 'threshold-disagreement',
    enabled: true,
    minimumSteps: 2,
    highRiskNoFurtherAction: true,
    gracePeriod: localDefault(1, 'working-days', `grace period before a disagreement raises: ${NO_FIGURE}`),
  };
}

/**
 * Stalled plan (docs/DOMAIN.md#stalled-plan), on Working Together 2023's statutory timescales. Raised by police,
 * else health, else education (the first involved); received by children's services, which hold the plan.
 */
export function demoStalledPlan(): StalledPlanPolicy {
  return {
    ground: 'stalled-plan',
    enabled: true,
    initialConferenceWithin: statutory(
      15,
      'working-days',
      `${WT2023}: initial conference within 15 working days of the strategy discussion`,
    ),
    firstCoreGroupWithin: statutory(
      10,
      'working-days',
      `${WT2023}: first core group within 10 working days of the initial conference`,
    ),
    firstReviewWithin: statutory(
      3,
      'calendar-months',
      `${WT2023}: first review conference within 3 months of the initial conference`,
    ),
    reviewEvery: statutory(
      6,
      'calendar-months',
      `${WT2023}: later reviews at intervals of no more than 6 months`,
    ),
    actionOverdueAfter: localDefault(
      1,
      'working-days',
      `a plan action past its due date and not done (docs/DOMAIN.md#stalled-plan); the day's leeway: ${NO_FIGURE}`,
    ),
    // Only a plan that states its visit frequency is checked for missed visits.
    defaultVisitFrequencyDays: null,
    parties: { raising: ['police', 'health', 'education'], receiving: 'la-children' },
  };
}

/**
 * Disengagement (docs/DOMAIN.md#disengagement): two signals from two agencies within 28 days; attendance under
 * 90% (the Department for Education's persistent absence) is a signal. Raised by the first signalling agency other
 * than the local authority, in the order police, health, education; received by children's services.
 */
export function demoDisengagement(): DisengagementPolicy {
  return {
    ground: 'disengagement',
    enabled: true,
    window: localDefault(
      28,
      'calendar-days',
      `signals count together within 28 days (docs/DOMAIN.md#disengagement); ${NO_FIGURE} in the seeds`,
    ),
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
    parties: { raising: ['police', 'health', 'education'], receiving: 'la-children' },
  };
}

/**
 * Increasing risk (docs/DOMAIN.md#increasing-risk): DASH 14 or more, a MARAC referral, a red protection notice or
 * a new missing episode while the local authority judges below child protection or has closed the case. Raised by
 * police, received by children's services.
 */
export function demoIncreasingRisk(): IncreasingRiskPolicy {
  return {
    ground: 'increasing-risk',
    enabled: true,
    dashHighScore: 14,
    maracReferral: true,
    protectionNoticeRatings: ['red'],
    missingEpisode: true,
    localAuthorityBelow: 'child-protection',
    whenCaseClosed: true,
    signalWithin: localDefault(28, 'calendar-days', `how long a risk signal stays current: ${NO_FIGURE}`),
    parties: { raising: ['police'], receiving: 'la-children' },
  };
}

/** Every automatic ground, with the figures both demo partnerships share. */
function demoTriggers(): EscalationPolicy['triggers'] {
  return [demoThresholdDisagreement(), demoStalledPlan(), demoDisengagement(), demoIncreasingRisk()];
}

/**
 * MK Together (seed 004): the professionals meet within 7 days of the challenge; then line managers or
 * safeguarding leads (no time given: 5 working days, a local default); heads of service meet no later than 10
 * days after the first professionals' meeting, and feed back to the raiser 48 hours after they meet; then the
 * Assurance Board chair.
 */
export function mkTogetherPolicy(): EscalationPolicy {
  return {
    calendar: 'england-and-wales',
    stages: [
      {
        stage: 1,
        name: 'Professionals meet to reach a shared understanding',
        ownerRoles: ['practitioner'],
        timescale: policyText(
          7,
          'calendar-days',
          `${MK}: "Arrange a meeting with relevant professionals, within 7 days of the challenge being raised"`,
        ),
        immediateRiskTimescale: immediate(4),
      },
      {
        stage: 2,
        name: 'Line managers and safeguarding leads',
        ownerRoles: ['line-manager', 'designated-safeguarding-lead'],
        timescale: localDefault(
          5,
          'working-days',
          `${MK} gives no time for the discussion with the line manager or safeguarding lead`,
        ),
        immediateRiskTimescale: immediate(8),
      },
      {
        stage: 3,
        name: 'Heads of service meet',
        ownerRoles: ['head-of-service'],
        timescale: policyText(
          10,
          'calendar-days',
          `${MK}: "The relevant HoS should meet no later than 10 days after the intial professionals meeting"`,
        ),
        anchor: { stage: 1, event: 'first-meeting' },
        feedbackAfterMeeting: policyText(
          48,
          'hours',
          `${MK}: "Feedback on the outcome will be given to the professionals who raised the original concern ` +
            '48 hours after the relevant HOS have met"',
        ),
        immediateRiskTimescale: immediate(24),
      },
      {
        stage: 4,
        name: 'MK Together Assurance Board chair',
        ownerRoles: ['partnership-chair'],
        timescale: null,
        immediateRiskTimescale: null,
      },
    ],
    triggers: demoTriggers(),
  };
}

/**
 * Lincolnshire (docs/DOMAIN.md#timescales): stage 1 acknowledged at once, with a plan agreed within 2 working
 * days; stage 2 within 5 working days; a stage 3 plan within 48 hours; then the partnership. The same grounds and
 * trigger figures as MK Together.
 */
export function lincolnshirePolicy(): EscalationPolicy {
  return {
    calendar: 'england-and-wales',
    stages: [
      {
        stage: 1,
        name: 'Practitioners acknowledge at once and agree a plan',
        ownerRoles: ['practitioner'],
        timescale: policyText(2, 'working-days', `${LINCS}: stage 1 plan agreed within 2 working days`),
        immediateRiskTimescale: immediate(4),
      },
      {
        stage: 2,
        name: 'Line managers and designated safeguarding leads',
        ownerRoles: ['line-manager', 'designated-safeguarding-lead'],
        timescale: policyText(5, 'working-days', `${LINCS}: stage 2 within 5 working days`),
        immediateRiskTimescale: immediate(8),
      },
      {
        stage: 3,
        name: 'Senior managers agree a plan',
        ownerRoles: ['head-of-service'],
        timescale: policyText(48, 'hours', `${LINCS}: stage 3 plan within 48 hours`),
        immediateRiskTimescale: immediate(24),
      },
      {
        stage: 4,
        name: 'Lincolnshire Safeguarding Children Partnership chair',
        ownerRoles: ['partnership-chair'],
        timescale: null,
        immediateRiskTimescale: null,
      },
    ],
    triggers: demoTriggers(),
  };
}
