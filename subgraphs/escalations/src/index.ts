import 'reflect-metadata';

export { buildEscalationsSchema } from './schema';
export { seedEscalationsDemo } from './demo';
export {
  startEscalationsService,
  type EscalationsServiceOptions,
  type RunningEscalationsService,
} from './service';
export { ClockScheduler, type FireOutcome } from './scheduler.service';
export { EscalationEngine, type EngineResult } from './engine.service';
export * from './domain/model';
export * from './domain/calendar';
export * from './domain/calendars';
export * from './domain/escalation';
export * from './domain/errors';
export * from './domain/rules/finding';
export * from './domain/rules/threshold-disagreement';
