import { Column, Entity, PrimaryColumn } from 'typeorm';

export type PlanActionStatusValue = 'open' | 'done';

/** An action of a plan; a reported one carries the agency's reference and the status change that last reported it. */
@Entity({ schema: 'cases', name: 'plan_action' })
export class PlanActionEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'plan_id' })
  planId!: string;

  @Column('text', { nullable: true })
  ref!: string | null;

  @Column('text')
  description!: string;

  @Column('text')
  status!: PlanActionStatusValue;

  @Column('uuid', { name: 'owner_agency_id', nullable: true })
  ownerAgencyId!: string | null;

  @Column('text', { name: 'owner_agency_type', nullable: true })
  ownerAgencyType!: string | null;

  /** A calendar date (`YYYY-MM-DD`), due by the end of that day. */
  @Column('date', { name: 'due_date', nullable: true })
  dueDate!: string | null;

  @Column('timestamptz', { name: 'done_at', nullable: true })
  doneAt!: Date | null;

  @Column('uuid', { name: 'status_change_id', nullable: true })
  statusChangeId!: string | null;
}
