import {
  lincolnshirePolicy,
  mkTogetherPolicy,
  type AutomaticGround,
  type EscalationPolicy,
  type PolicyStage,
  type TriggerOf,
} from '@mash/schema';
import { validatePolicy } from '../domain/policy';

/** Changes to one ground's trigger: some of its fields, or null to leave the ground out (it then never raises). */
type TriggerOverride<G extends AutomaticGround> = Partial<Omit<TriggerOf<G>, 'ground'>> | null;

export interface PolicyOverrides {
  readonly stages?: readonly PolicyStage[];
  readonly thresholdDisagreement?: TriggerOverride<'threshold-disagreement'>;
  readonly stalledPlan?: TriggerOverride<'stalled-plan'>;
  readonly disengagement?: TriggerOverride<'disengagement'>;
  readonly increasingRisk?: TriggerOverride<'increasing-risk'>;
}

const OVERRIDE_KEYS = {
  'threshold-disagreement': 'thresholdDisagreement',
  'stalled-plan': 'stalledPlan',
  disengagement: 'disengagement',
  'increasing-risk': 'increasingRisk',
} as const satisfies Record<AutomaticGround, keyof PolicyOverrides>;

/**
 * A policy with some stages or triggers changed, validated. Overrides let tests shorten clocks (a grace period of
 * `{ amount: 1 / 3600, unit: 'hours' }` is one second), switch a ground off (`{ enabled: false }`) or leave it out
 * (`null`).
 */
function withOverrides(base: EscalationPolicy, overrides: PolicyOverrides): EscalationPolicy {
  const triggers = base.triggers.flatMap((trigger) => {
    const override = overrides[OVERRIDE_KEYS[trigger.ground]];
    if (override === null) return [];
    return [{ ...trigger, ...override, ground: trigger.ground }];
  });
  return validatePolicy({
    ...base,
    stages: overrides.stages ? [...overrides.stages] : base.stages,
    triggers,
  });
}

/**
 * The demo partnership's escalation policy: MK Together's escalation process (seed 004), with Working Together
 * 2023's figures for stalled plans and local defaults where no source gives one (`mkTogetherPolicy` in
 * @mash/schema says which is which).
 */
export function demoPolicy(overrides: PolicyOverrides = {}): EscalationPolicy {
  return withOverrides(mkTogetherPolicy(), overrides);
}

/** The second demo partnership's policy: Lincolnshire's timescales, the same grounds (`lincolnshirePolicy`). */
export function demoLincolnshirePolicy(overrides: PolicyOverrides = {}): EscalationPolicy {
  return withOverrides(lincolnshirePolicy(), overrides);
}
