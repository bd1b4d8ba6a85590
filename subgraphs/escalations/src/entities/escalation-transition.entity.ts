import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { EscalationStatus } from '../domain/model';

/** The append-only history of an escalation: a trigger refuses UPDATE, DELETE and TRUNCATE. */
@Entity({ name: 'escalation_transition', schema: 'escalations' })
export class EscalationTransitionEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column('uuid', { name: 'escalation_id' })
  escalationId!: string;

  @Column('timestamptz')
  at!: Date;

  @Column('integer', { name: 'from_stage', nullable: true })
  fromStage!: number | null;

  @Column('integer', { name: 'to_stage' })
  toStage!: number;

  @Column('text', { name: 'from_status', nullable: true })
  fromStatus!: EscalationStatus | null;

  @Column('text', { name: 'to_status' })
  toStatus!: EscalationStatus;

  @Column('text')
  actor!: string;

  @Column('text')
  rationale!: string;
}
