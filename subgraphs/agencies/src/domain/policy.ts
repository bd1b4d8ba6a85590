import { escalationPolicySchema, policyProblems, type EscalationPolicy } from '@mash/schema';

export { STAGE_OWNER_ROLES, TIMESCALE_UNITS } from '@mash/schema';

/** A policy document that breaks the rules; `problems` lists every one, not just the first. */
export class PolicyValidationError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid escalation policy:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'PolicyValidationError';
  }
}

/**
 * Checks a policy document against the one policy schema that the escalation engine also reads
 * (`escalationPolicySchema` in @mash/schema) and returns the parsed policy. Throws a PolicyValidationError listing
 * every problem as `path message`: stages numbered 1..n in order, each with a name and at least one owner role that
 * can decide; positive timescales (whole days and months); a null timescale only on the last stage; an anchor only
 * on an earlier stage; at most one trigger per ground, each with its ground's fields and no others. Unknown fields
 * are refused anywhere in the document, so a typo cannot pass silently; a legacy `triggers.thresholdDisagreement`
 * is read as a one-item list. The checks across a whole document (stage numbering, null timescales, repeated
 * grounds) run once its fields are well formed, so they may only show in a second round.
 */
export function validatePolicy(policy: unknown): EscalationPolicy {
  const parsed = escalationPolicySchema.safeParse(policy);
  if (!parsed.success) throw new PolicyValidationError(policyProblems(policy));
  return parsed.data;
}
