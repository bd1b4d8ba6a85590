import { Column, Entity, PrimaryColumn } from 'typeorm';

export type CaseStatusValue = 'open' | 'closed';

/** The multi-agency picture of one subject in one partnership; at most one open case per subject. */
@Entity({ schema: 'cases', name: 'case' })
export class CaseEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'subject_id' })
  subjectId!: string;

  @Column('uuid', { name: 'partnership_id' })
  partnershipId!: string;

  @Column('text')
  status!: CaseStatusValue;

  @Column('timestamptz', { name: 'opened_at' })
  openedAt!: Date;

  @Column('timestamptz', { name: 'closed_at', nullable: true })
  closedAt!: Date | null;
}
