import type { AutomaticGround, CaseSnapshot, EscalationPolicy, TriggerOf } from '@mash/schema';
import { disengagementRule } from './disengagement';
import type { Finding, Rule, RuleContext } from './finding';
import { increasingRiskRule } from './increasing-risk';
import { stalledPlanRule } from './stalled-plan';
import { thresholdDisagreementRule } from './threshold-disagreement';

/** One rule per automatic ground; the mapped type makes a ground without a rule a compile error. */
export type RuleRegistry = { readonly [G in AutomaticGround]: Rule<G> };

export const RULES: RuleRegistry = {
  'threshold-disagreement': thresholdDisagreementRule,
  'stalled-plan': stalledPlanRule,
  disengagement: disengagementRule,
  'increasing-risk': increasingRiskRule,
};

/** The findings of one trigger (none when it is disabled). */
export function runTrigger<G extends AutomaticGround>(
  snapshot: CaseSnapshot,
  trigger: TriggerOf<G>,
  ctx: RuleContext,
  rules: RuleRegistry = RULES,
): Finding[] {
  if (!trigger.enabled) return [];
  const rule = rules[trigger.ground as G] as Rule<G>;
  return rule(snapshot, trigger, ctx);
}

/** The findings of every enabled trigger of the partnership's policy, in the policy's order. */
export function runRules(
  snapshot: CaseSnapshot,
  policy: Pick<EscalationPolicy, 'triggers'>,
  ctx: RuleContext,
  rules: RuleRegistry = RULES,
): Finding[] {
  return policy.triggers.flatMap((trigger) => runTrigger(snapshot, trigger, ctx, rules));
}

/** The findings of one ground's trigger; none when the policy has no trigger for it or it is disabled. */
export function runGround(
  snapshot: CaseSnapshot,
  policy: Pick<EscalationPolicy, 'triggers'>,
  ground: AutomaticGround,
  ctx: RuleContext,
  rules: RuleRegistry = RULES,
): Finding[] {
  return policy.triggers
    .filter((t) => t.ground === ground)
    .flatMap((trigger) => runTrigger(snapshot, trigger, ctx, rules));
}
