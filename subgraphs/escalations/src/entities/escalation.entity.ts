import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { Role } from '@mash/schema';
import type { EscalationGround, EscalationOutcome, EscalationStatus, RedirectRoute } from '../domain/model';

/**
 * One escalation. At most one open (neither resolved nor redirected) per (case, ground, raising agency, receiving
 * agency): a partial unique index.
 */
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

  /** The person who raised it; null when raised automatically. */
  @Column('text', { name: 'raised_by', nullable: true })
  raisedBy!: string | null;

  /** When it was closed: resolved or redirected. */
  @Column('timestamptz', { name: 'resolved_at', nullable: true })
  resolvedAt!: Date | null;

  @Column('text', { nullable: true })
  outcome!: EscalationOutcome | null;

  @Column('text', { name: 'outstanding_issues', nullable: true })
  outstandingIssues!: string | null;

  @Column('text', { name: 'redirect_route', nullable: true })
  redirectRoute!: RedirectRoute | null;
}
