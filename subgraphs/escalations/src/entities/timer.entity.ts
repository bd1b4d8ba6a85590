import { Column, Entity, PrimaryColumn } from 'typeorm';

export type TimerKind = 'grace' | 'stage-deadline';

/** A durable clock: fires once when due, whichever instance picks it up (FOR UPDATE SKIP LOCKED). */
@Entity({ name: 'timer', schema: 'escalations' })
export class TimerEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('text')
  kind!: TimerKind;

  /** `grace:<case>:<ground>:<raising>:<receiving>` or `stage:<escalation>:<stage>`. */
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
}
