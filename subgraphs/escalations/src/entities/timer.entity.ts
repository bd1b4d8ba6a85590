import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * What a timer waits for. `grace`: a finding waiting for its due time (a threshold disagreement's grace period, a
 * stalled plan's deadline); the stored name predates the other grounds. `stage-deadline`: an escalation's stage
 * deadline. Each kind has one handler in the scheduler's registry (jobs/timers.ts).
 */
export const TIMER_KINDS = ['grace', 'stage-deadline'] as const;
export type TimerKind = (typeof TIMER_KINDS)[number];

/** A durable clock: fires once when due, whichever instance picks it up (FOR UPDATE SKIP LOCKED). */
@Entity({ name: 'timer', schema: 'escalations' })
export class TimerEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('text')
  kind!: TimerKind;

  /** `grace:<case>:<ground>:<raising>:<receiving>[:<concern>]` or `stage:<escalation>:<stage>`. */
  @Column('text', { unique: true })
  key!: string;

  @Column('timestamptz', { name: 'due_at' })
  dueAt!: Date;

  @Column('jsonb')
  payload!: Record<string, unknown>;

  @Column('timestamptz', { name: 'fired_at', nullable: true })
  firedAt!: Date | null;

  @Column('integer')
  attempts!: number;

  @Column('text', { name: 'last_error', nullable: true })
  lastError!: string | null;

  /** Claimed by a sweep until then (its lease); null when no sweep holds it. */
  @Column('timestamptz', { name: 'claimed_until', nullable: true })
  claimedUntil!: Date | null;
}
