export { buildCasesSchema } from './schema';
export { startCasesService, type CasesServiceOptions, type RunningCasesService } from './service';
export { seedCasesDemo } from './seed';
export { statusChangesDeadLetterTopic } from './consumer/status-change.consumer';
export {
  applyStatusChange,
  involvementAfter,
  THRESHOLD_IMPLIED_BY_REFERRAL_OUTCOME,
  type AgencyPosition,
  type InvolvementState,
} from './domain/positions';
export { buildSnapshot, type CaseHeader } from './domain/snapshot';
export { parseStatusChangeMessage, type ParsedStatusChange } from './consumer/status-change-message';
export { mayReadCase, maySeeSubject, mayManageMatching, caseListScope, type CaseAccessFacts } from './access';
