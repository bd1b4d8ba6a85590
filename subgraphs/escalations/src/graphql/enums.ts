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
  REDIRECTED = 'REDIRECTED',
}

export enum EscalationOutcomeValue {
  AGREED_ACTION_PLAN = 'AGREED_ACTION_PLAN',
  DECISION_UPHELD = 'DECISION_UPHELD',
  DECISION_CHANGED = 'DECISION_CHANGED',
  WITHDRAWN = 'WITHDRAWN',
}

export enum RedirectRouteValue {
  WHISTLEBLOWING = 'WHISTLEBLOWING',
  LADO = 'LADO',
  CONFERENCE_CHAIR = 'CONFERENCE_CHAIR',
}

registerEnumType(EscalationGroundValue, {
  name: 'EscalationGround',
  description: 'Why an escalation was raised (DOMAIN.md, "Grounds").',
});
registerEnumType(EscalationStatusValue, {
  name: 'EscalationStatus',
  description:
    'AWAITING_ACKNOWLEDGEMENT → IN_DISCUSSION (the receiving agency acknowledged) at each stage, then RESOLVED ' +
    '(an agreed outcome) or REDIRECTED (to another route).',
});
registerEnumType(EscalationOutcomeValue, {
  name: 'EscalationOutcome',
  description: 'How an escalation was resolved (DOMAIN.md, "Recording").',
  valuesConfig: {
    AGREED_ACTION_PLAN: { description: 'The agencies agreed a plan of action.' },
    DECISION_UPHELD: { description: 'The decision in dispute stands.' },
    DECISION_CHANGED: { description: 'The decision in dispute was changed.' },
    WITHDRAWN: { description: 'The raiser withdrew the escalation.' },
  },
});
registerEnumType(RedirectRouteValue, {
  name: 'RedirectRoute',
  description:
    'Where a concern that is not an escalation between agencies goes instead (DOMAIN.md, "Other routes").',
  valuesConfig: {
    WHISTLEBLOWING: {
      description: "A disagreement with one's own manager: the agency's whistleblowing policy.",
    },
    LADO: {
      description: "A concern about a professional's conduct: the Local Authority Designated Officer.",
    },
    CONFERENCE_CHAIR: {
      description:
        'A dispute about a child protection conference decision: the conference chair, then complaints.',
    },
  },
});
