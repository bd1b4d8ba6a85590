import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity({ schema: 'cases', name: 'plan_action' })
export class PlanActionEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'plan_id' })
  planId!: string;

  @Column('text')
  description!: string;

  @Column('uuid', { name: 'owner_agency_id', nullable: true })
  ownerAgencyId!: string | null;

  @Column('timestamptz', { name: 'due_date', nullable: true })
  dueDate!: Date | null;

  @Column('timestamptz', { name: 'done_at', nullable: true })
  doneAt!: Date | null;
}
