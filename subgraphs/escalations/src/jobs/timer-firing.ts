import type { EntityManager } from 'typeorm';
import type { EscalationPolicy } from '@mash/schema';
import type { AgencyRef } from '../domain/rules/finding';

/** What firing one timer did. */
export type FireOutcome =
  | 'raised'
  | 'joined'
  | 'rearmed'
  | 'no-longer-holds'
  | 'already-open'
  | 'settled'
  | 'advanced'
  | 'stale'
  | 'lapsed';

/** The effect of firing one timer, for the scheduler to record with it. */
export interface Fired {
  readonly outcome: FireOutcome;
  /** Escalation events enqueued in the outbox. */
  readonly events: number;
  /** Set when the timer is not done: it waits again until `dueAt`, carrying `payload`. */
  readonly rearm?: { readonly dueAt: Date; readonly payload: object };
}

/** What every timer handler may read: its partnership's reference data, the time, the events topic. */
export interface TimerContext {
  readonly policy: EscalationPolicy;
  /** The partnership's agencies (names for reasons, types for the parties of a finding). */
  readonly agencies: readonly AgencyRef[];
  readonly now: Date;
  /** The escalation-events topic. */
  readonly topic: string;
}

/** Every timer's payload names its partnership, whose policy the scheduler fetches before it fires. */
export interface TimerPayloadBase {
  readonly partnershipId: string;
}

/** Fires one kind of timer, in the scheduler's transaction, with the timer claimed. */
export interface TimerHandler<P extends TimerPayloadBase> {
  fire(m: EntityManager, payload: P, ctx: TimerContext): Promise<Fired>;
}
