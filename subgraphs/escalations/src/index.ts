import 'reflect-metadata';

export { buildEscalationsSchema } from './graphql/schema';
export { seedEscalationsDemo } from './demo/seed';
export { entities as escalationsEntities } from './entities';
export { migrations as escalationsMigrations } from './migrations';
export {
  startEscalationsService,
  type EscalationsServiceOptions,
  type RunningEscalationsService,
} from './start';
export { ClockScheduler, type FireOutcome } from './jobs/scheduler';
export { EscalationEngine, type EngineResult } from './services/engine.service';
export * from './domain/model';
export * from './domain/calendar';
export * from './domain/calendars';
export * from './domain/escalation';
export * from './domain/escalation-records';
export * from './domain/errors';
export * from './domain/finding-decision';
export * from './domain/rules/finding';
export * from './domain/rules/registry';
export * from './domain/rules/parties';
export * from './domain/rules/threshold-disagreement';
export * from './domain/rules/stalled-plan';
export * from './domain/rules/disengagement';
export * from './domain/rules/increasing-risk';
export { escalationsPurgeRules } from './repositories/retention';
export {
  ContactDirectoryClient,
  staticContactDirectory,
  type ContactDirectory,
  type ContactRef,
} from './services/contact-directory';
export { EscalationActionService, type EscalationActionDeps } from './services/escalation-actions.service';
// For `bench:rules`, which times a clock sweep's claim of due timers on the real table.
export {
  claimDueTimerBatch,
  claimDueTimers,
  markFired,
  type DueTimer,
} from './repositories/timer.repository';
