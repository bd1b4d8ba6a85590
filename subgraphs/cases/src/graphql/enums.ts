import { registerEnumType } from 'type-graphql';

/**
 * GraphQL enums are SCREAMING_SNAKE; their internal values are the kebab-case values of the contracts and the
 * tables, so resolvers pass stored values straight through.
 */
export const CaseStatus = { OPEN: 'open', CLOSED: 'closed' } as const;
export const Threshold = {
  NONE: 'none',
  UNIVERSAL: 'universal',
  EARLY_HELP: 'early-help',
  CHILD_IN_NEED: 'child-in-need',
  CHILD_PROTECTION: 'child-protection',
} as const;
export const RiskLevel = { STANDARD: 'standard', MEDIUM: 'medium', HIGH: 'high' } as const;
export const ReferralOutcome = {
  NO_FURTHER_ACTION: 'no-further-action',
  EARLY_HELP: 'early-help',
  CHILD_IN_NEED: 'child-in-need',
  STRATEGY_DISCUSSION: 'strategy-discussion',
  CHILD_PROTECTION: 'child-protection',
} as const;
export const PlanKind = {
  CHILD_PROTECTION: 'child-protection',
  CHILD_IN_NEED: 'child-in-need',
  ADULT_SAFEGUARDING: 'adult-safeguarding',
} as const;
export const PlanActionStatus = { OPEN: 'open', DONE: 'done' } as const;

registerEnumType(CaseStatus, { name: 'CaseStatus', description: 'Whether the case is open.' });
registerEnumType(Threshold, {
  name: 'Threshold',
  description:
    'The threshold ladder: none < universal < early help < child in need (s17) < child protection (s47).',
});
registerEnumType(RiskLevel, { name: 'RiskLevel' });
registerEnumType(ReferralOutcome, { name: 'ReferralOutcome' });
registerEnumType(PlanKind, { name: 'PlanKind' });
registerEnumType(PlanActionStatus, { name: 'PlanActionStatus' });
