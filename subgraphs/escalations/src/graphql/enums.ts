import { registerEnumType } from 'type-graphql';

/** GraphQL names (SCREAMING_SNAKE) for the grounds; values are the domain's kebab-case grounds. */
export enum EscalationGroundValue {
  THRESHOLD_DISAGREEMENT = 'threshold-disagreement',
  STALLED_PLAN = 'stalled-plan',
  DISENGAGEMENT = 'disengagement',
  INCREASING_RISK = 'increasing-risk',
  PROCEDURES_NOT_FOLLOWED = 'procedures-not-followed',
  REFERRAL_NOT_PROGRESSED = 'referral-not-progressed',
  INFORMATION_NOT_SHARED = 'information-not-shared',
  QUALITY_OF_WORK = 'quality-of-work',
  ACTIONS_NOT_COMPLETED = 'actions-not-completed',
}

export enum EscalationStatusValue {
  AWAITING_ACKNOWLEDGEMENT = 'AWAITING_ACKNOWLEDGEMENT',
  IN_DISCUSSION = 'IN_DISCUSSION',
  RESOLVED = 'RESOLVED',
}

registerEnumType(EscalationGroundValue, {
  name: 'EscalationGround',
  description: 'Why an escalation was raised (DOMAIN.md, "Grounds").',
});
registerEnumType(EscalationStatusValue, {
  name: 'EscalationStatus',
  description: 'AWAITING_ACKNOWLEDGEMENT → IN_DISCUSSION (the receiving agency acknowledged) → RESOLVED.',
});
