/** What firing one timer did. */
export type FireOutcome =
  'raised' | 'rearmed' | 'no-longer-holds' | 'already-open' | 'settled' | 'advanced' | 'stale' | 'last-stage';

/** The effect of firing one timer, for the scheduler to record with it. */
export interface Fired {
  readonly outcome: FireOutcome;
  /** Escalation events enqueued in the outbox. */
  readonly events: number;
  /** Set when the timer is not done: it waits again until `dueAt`, carrying `payload`. */
  readonly rearm?: { readonly dueAt: Date; readonly payload: object };
}
