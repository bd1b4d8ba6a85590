import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { Role } from '@mash/schema';
import type { EscalationGround, EscalationStatus } from '../domain/model';

/** One escalation. At most one open per (case, ground, raising agency, receiving agency): a partial unique index. */
@Entity({ name: 'escalation', schema: 'escalations' })
export class EscalationEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('text', { name: 'case_id' })
  caseId!: string;

  @Column('text', { name: 'partnership_id' })
  partnershipId!: string;

  @Column('text')
  ground!: EscalationGround;

  @Column('text', { name: 'raising_agency_id' })
  raisingAgencyId!: string;

  @Column('text', { name: 'receiving_agency_id' })
  receivingAgencyId!: string;

  @Column('integer')
  stage!: number;

  @Column('text')
  status!: EscalationStatus;

  @Column('timestamptz', { name: 'stage_started_at' })
  stageStartedAt!: Date;

  @Column('timestamptz', { name: 'stage_deadline', nullable: true })
  stageDeadline!: Date | null;

  @Column('text', { name: 'stage_owner_roles', array: true })
  stageOwnerRoles!: Role[];

  @Column('boolean', { name: 'auto_raised' })
  autoRaised!: boolean;

  @Column('boolean', { name: 'immediate_risk' })
  immediateRisk!: boolean;

  @Column('timestamptz', { name: 'raised_at' })
  raisedAt!: Date;

  @Column('timestamptz', { name: 'resolved_at', nullable: true })
  resolvedAt!: Date | null;

  @Column('text', { nullable: true })
  outcome!: string | null;
}
