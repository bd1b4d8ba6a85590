export { buildCasesSchema } from './graphql/schema';
export { startCasesService, type CasesServiceOptions, type RunningCasesService } from './start';
export { seedCasesDemo } from './demo/seed';
export { statusChangesDeadLetterTopic } from './consumers/status-change.consumer';
export {
  applyStatusChange,
  involvementAfter,
  THRESHOLD_IMPLIED_BY_REFERRAL_OUTCOME,
  type AgencyPosition,
  type InvolvementState,
} from './domain/positions';
export { buildSnapshot, type CaseHeader } from './domain/snapshot';
export { parseStatusChangeMessage, type ParsedStatusChange } from './consumers/status-change-message';
export {
  mayReadCase,
  maySeeSubject,
  mayManageMatching,
  caseListScope,
  type CaseAccessFacts,
} from './domain/access';
