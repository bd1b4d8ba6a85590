import { Column, Entity, PrimaryColumn } from 'typeorm';

export type PlanKindValue = 'child-protection' | 'child-in-need' | 'adult-safeguarding';

/**
 * A plan on a case. A reported plan carries its agency and the agency's reference; until its start is reported it
 * has no kind or start (such rows are not shown). The demo seed's plans carry no reference.
 */
@Entity({ schema: 'cases', name: 'plan' })
export class PlanEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'case_id' })
  caseId!: string;

  @Column('uuid', { name: 'agency_id', nullable: true })
  agencyId!: string | null;

  @Column('text', { nullable: true })
  ref!: string | null;

  @Column('text', { nullable: true })
  kind!: PlanKindValue | null;

  @Column('timestamptz', { name: 'started_at', nullable: true })
  startedAt!: Date | null;

  @Column('uuid', { name: 'started_status_change_id', nullable: true })
  startedStatusChangeId!: string | null;

  @Column('timestamptz', { name: 'review_due', nullable: true })
  reviewDue!: Date | null;

  @Column('timestamptz', { name: 'ended_at', nullable: true })
  endedAt!: Date | null;

  @Column('integer', { name: 'visit_frequency_days', nullable: true })
  visitFrequencyDays!: number | null;

  @Column('timestamptz', { name: 'last_seen_visit_at', nullable: true })
  lastSeenVisitAt!: Date | null;

  @Column('uuid', { name: 'last_seen_visit_status_change_id', nullable: true })
  lastSeenVisitStatusChangeId!: string | null;
}
