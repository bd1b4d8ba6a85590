import { z } from 'zod';
import { AGENCY_TYPES } from './agencies';
import { CASEWORK_ROLES, type Role } from './identity';
import { BRAG_RATINGS } from './events';
import { THRESHOLDS } from './thresholds';

/**
 * A partnership's escalation policy, held as data (docs/DOMAIN.md#timescales: timescales differ, so they are policy
 * data, not code). Owned by the agencies subgraph, which validates every document with `escalationPolicySchema`;
 * the escalation engine reads the same types. One schema for both, so a policy the directory accepts is one the
 * engine can run.
 */

export const TIMESCALE_UNITS = ['hours', 'calendar-days', 'working-days', 'calendar-months'] as const;
export type TimescaleUnit = (typeof TIMESCALE_UNITS)[number];

/**
 * Roles that may own an escalation stage: people who decide, never integrators, auditors or services. They are the
 * casework roles, the allow-list for personal data: a stage owner must be able to read the case they decide on.
 */
export const STAGE_OWNER_ROLES: readonly Role[] = CASEWORK_ROLES;

/** Where a timescale comes from: the partnership's policy text, statutory guidance, or a local default. */
export const TIMESCALE_BASES = ['policy-text', 'statutory', 'local-default'] as const;
export type TimescaleBasis = (typeof TIMESCALE_BASES)[number];

/**
 * A positive amount of hours, calendar days, working days or calendar months. Days and months are whole; hours
 * may be fractional, so tests can ask for a grace period of one second as `{ amount: 1 / 3600, unit: 'hours' }`.
 * `basis` says where the figure comes from; a figure no policy text gives is marked `local-default`.
 */
export const timescaleSchema = z
  .object({
    amount: z.number().finite().positive(),
    unit: z.enum(TIMESCALE_UNITS),
    basis: z.enum(TIMESCALE_BASES).optional(),
    /** Where the figure comes from, in words (a seed's section, Working Together's chapter). */
    source: z.string().min(1).optional(),
  })
  .strict()
  .refine((t) => t.unit === 'hours' || Number.isInteger(t.amount), {
    message: 'days and months must be whole numbers',
    path: ['amount'],
  });
export type Timescale = z.output<typeof timescaleSchema>;

/**
 * What a stage's timescale counts from: by default the stage's own start. A policy may anchor it on an earlier
 * stage's event instead (seed 004: heads of service meet no later than 10 days after the first professionals'
 * meeting). `stage-start` is when that stage began; `first-meeting` is the first discussion or meeting recorded
 * at that stage, falling back to that stage's start while none is recorded.
 */
export const timescaleAnchorSchema = z
  .object({
    stage: z.number().int().positive(),
    event: z.enum(['stage-start', 'first-meeting']),
  })
  .strict();
export type TimescaleAnchor = z.output<typeof timescaleAnchorSchema>;

export const policyStageSchema = z
  .object({
    stage: z.number().int().positive(),
    name: z.string().trim().min(1),
    /** Contact roles that own this stage in each agency in dispute (or in the partnership, at stage 4). */
    ownerRoles: z
      .array(z.enum(CASEWORK_ROLES as unknown as [Role, ...Role[]]))
      .min(1)
      .refine((roles) => new Set(roles).size === roles.length, { message: 'roles must not repeat' }),
    /** Time allowed at this stage before it moves up by itself; null on the last stage. */
    timescale: timescaleSchema.nullable(),
    /** Time allowed when the subject is at immediate risk. */
    immediateRiskTimescale: timescaleSchema.nullable(),
    /** What `timescale` counts from, when not this stage's own start. */
    anchor: timescaleAnchorSchema.optional(),
    /** Feedback to the raiser is due this long after the stage's meeting (seed 004: 48 hours). */
    feedbackAfterMeeting: timescaleSchema.optional(),
  })
  .strict();
export type PolicyStage = z.output<typeof policyStageSchema>;

/** Which agency raises and which receives an automatic escalation on a ground (docs/DOMAIN.md#automatic-triggers). */
export const partiesSchema = z
  .object({
    /** Agency types that raise, in order of preference: the first involved one (else the first signalling) raises. */
    raising: z.array(z.enum(AGENCY_TYPES)).min(1),
    /** The agency type that receives; the partnership's agency of that type when none is involved. */
    receiving: z.enum(AGENCY_TYPES),
  })
  .strict();
export type Parties = z.output<typeof partiesSchema>;

export const thresholdDisagreementTriggerSchema = z
  .object({
    ground: z.literal('threshold-disagreement'),
    enabled: z.boolean(),
    /** Steps apart on the ladder that count as disagreement (docs/DOMAIN.md#cross-agency-disagreement). */
    minimumSteps: z
      .number()
      .int()
      .min(1)
      .max(THRESHOLDS.length - 1),
    /** An agency rating risk high while its own referral ended in no further action also disagrees. */
    highRiskNoFurtherAction: z.boolean(),
    /** How long a disagreement must persist before an escalation is raised. */
    gracePeriod: timescaleSchema,
  })
  .strict();
export type ThresholdDisagreementPolicy = z.output<typeof thresholdDisagreementTriggerSchema>;

/** Working Together 2023's timescales for a child protection plan, and the plan's own commitments. */
export const stalledPlanTriggerSchema = z
  .object({
    ground: z.literal('stalled-plan'),
    enabled: z.boolean(),
    /** Initial child protection conference after the strategy discussion that started the s47 enquiry (15 wd). */
    initialConferenceWithin: timescaleSchema,
    /** First core group after the initial conference (10 working days). */
    firstCoreGroupWithin: timescaleSchema,
    /** First review conference after the initial conference (3 months). */
    firstReviewWithin: timescaleSchema,
    /** Later review conferences after the previous one (at most 6 months). */
    reviewEvery: timescaleSchema,
    /** A plan action is overdue this long after the end of its due date. */
    actionOverdueAfter: timescaleSchema,
    /** Visit frequency (calendar days) for a plan that states none; null: such a plan is not checked. */
    defaultVisitFrequencyDays: z.number().int().positive().nullable(),
    parties: partiesSchema,
  })
  .strict();
export type StalledPlanPolicy = z.output<typeof stalledPlanTriggerSchema>;

/** Signals the disengagement ground counts (docs/DOMAIN.md#disengagement). */
export const DISENGAGEMENT_SIGNALS = [
  'was-not-brought',
  'did-not-attend',
  'no-access-visit',
  'low-attendance',
  'unexplained-absence',
  'missing-episode',
  'child-missing-education',
] as const;
export type DisengagementSignal = (typeof DISENGAGEMENT_SIGNALS)[number];

export const disengagementTriggerSchema = z
  .object({
    ground: z.literal('disengagement'),
    enabled: z.boolean(),
    /** Signals count together when they fall within this window (28 days). */
    window: timescaleSchema,
    minimumSignals: z.number().int().min(2),
    minimumAgencies: z.number().int().min(1),
    /** Attendance under this percentage is a signal (90). */
    attendanceBelowPercent: z.number().min(0).max(100),
    signals: z.array(z.enum(DISENGAGEMENT_SIGNALS)).min(1),
    parties: partiesSchema,
  })
  .strict();
export type DisengagementPolicy = z.output<typeof disengagementTriggerSchema>;

export const increasingRiskTriggerSchema = z
  .object({
    ground: z.literal('increasing-risk'),
    enabled: z.boolean(),
    /** A DASH assessment at or above this score is high risk (14). */
    dashHighScore: z.number().int().min(1).max(27),
    maracReferral: z.boolean(),
    /** Protection notice ratings that count ('red'). */
    protectionNoticeRatings: z.array(z.enum(BRAG_RATINGS)),
    missingEpisode: z.boolean(),
    /** A risk signal counts while the local authority judges below this threshold ('child-protection'). */
    localAuthorityBelow: z.enum(THRESHOLDS),
    /** ... or has closed its case. */
    whenCaseClosed: z.boolean(),
    /** Signals older than this (at the time of the check) no longer raise (28 days). */
    signalWithin: timescaleSchema,
    parties: partiesSchema,
  })
  .strict();
export type IncreasingRiskPolicy = z.output<typeof increasingRiskTriggerSchema>;

/** One automatic trigger, keyed by its ground. */
export const triggerSchema = z.discriminatedUnion('ground', [
  thresholdDisagreementTriggerSchema,
  stalledPlanTriggerSchema,
  disengagementTriggerSchema,
  increasingRiskTriggerSchema,
]);
export type TriggerPolicy = z.output<typeof triggerSchema>;
export type AutomaticGround = TriggerPolicy['ground'];
export const AUTOMATIC_GROUNDS = [
  'threshold-disagreement',
  'stalled-plan',
  'disengagement',
  'increasing-risk',
] as const satisfies readonly AutomaticGround[];
/** The trigger policy of one ground. */
export type TriggerOf<G extends AutomaticGround> = Extract<TriggerPolicy, { ground: G }>;

export const CALENDARS = ['england-and-wales'] as const;

/**
 * Documents written before triggers were a list keyed by ground held `triggers.thresholdDisagreement`; they are
 * read as a one-item list.
 */
function legacyTriggers(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const legacy = (value as Record<string, unknown>)['thresholdDisagreement'];
  return legacy !== undefined && typeof legacy === 'object' && legacy !== null
    ? [{ ground: 'threshold-disagreement', ...legacy }]
    : value;
}

export const escalationPolicySchema = z
  .object({
    /** Working-day calendar: weekends and these bank holidays are not working days. */
    calendar: z.enum(CALENDARS),
    stages: z.array(policyStageSchema).min(1),
    triggers: z.preprocess(legacyTriggers, z.array(triggerSchema)),
  })
  .strict()
  .superRefine((policy, ctx) => {
    policy.stages.forEach((s, i) => {
      const last = i === policy.stages.length - 1;
      if (s.stage !== i + 1)
        ctx.addIssue({
          code: 'custom',
          path: ['stages', i, 'stage'],
          message: `must be ${i + 1} (stages are numbered 1..n in order)`,
        });
      for (const key of ['timescale', 'immediateRiskTimescale'] as const) {
        if (s[key] === null && !last)
          ctx.addIssue({
            code: 'custom',
            path: ['stages', i, key],
            message: 'may be null only on the last stage',
          });
      }
      if (s.anchor && s.anchor.stage >= s.stage)
        ctx.addIssue({
          code: 'custom',
          path: ['stages', i, 'anchor', 'stage'],
          message: 'must name an earlier stage',
        });
    });
    const seen = new Set<string>();
    policy.triggers.forEach((t, i) => {
      if (seen.has(t.ground))
        ctx.addIssue({ code: 'custom', path: ['triggers', i, 'ground'], message: `repeats ${t.ground}` });
      seen.add(t.ground);
    });
  });
export type EscalationPolicy = z.output<typeof escalationPolicySchema>;

/** The policy of one ground, or undefined when the partnership has none (a ground with no trigger never raises). */
export function triggerFor<G extends AutomaticGround>(
  policy: EscalationPolicy,
  ground: G,
): TriggerOf<G> | undefined {
  return policy.triggers.find((t): t is TriggerOf<G> => t.ground === ground);
}

/** Every problem in a policy document as `path: message` lines, or an empty list when it is valid. */
export function policyProblems(document: unknown): string[] {
  const result = escalationPolicySchema.safeParse(document);
  return result.success
    ? []
    : result.error.issues.map((i) => `${i.path.length ? `${formatPath(i.path)} ` : ''}${i.message}`);
}

function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`))
    .join('');
}
