import { Column, Entity, PrimaryColumn } from 'typeorm';

export type PlanKindValue = 'child-protection' | 'child-in-need' | 'adult-safeguarding';

@Entity({ schema: 'cases', name: 'plan' })
export class PlanEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'case_id' })
  caseId!: string;

  @Column('text')
  kind!: PlanKindValue;

  @Column('timestamptz', { name: 'started_at' })
  startedAt!: Date;

  @Column('timestamptz', { name: 'review_due', nullable: true })
  reviewDue!: Date | null;

  @Column('timestamptz', { name: 'ended_at', nullable: true })
  endedAt!: Date | null;
}
