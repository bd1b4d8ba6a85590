/**
 * The GraphQL types whose values are personal data (docs/DOMAIN.md, "Access and data protection"). Every field of
 * the composed graph that returns one of them must record an audit entry when read; the audit-trail end-to-end
 * test walks the supergraph with this list and probes each such field through the gateway.
 */
export const PERSONAL_DATA_TYPES = [
  'Subject',
  'SubjectIdentifier',
  'Case',
  'Involvement',
  'AgencyPosition',
  'Plan',
  'PlanAction',
  'StatusChange',
  'UnmatchedStatusChange',
  'Escalation',
  'EscalationTransition',
  'EscalationMeeting',
  'EscalationLearningNote',
  'ResolutionPanel',
] as const;
export type PersonalDataType = (typeof PERSONAL_DATA_TYPES)[number];
