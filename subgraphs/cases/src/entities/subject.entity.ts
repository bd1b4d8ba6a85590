import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The child or adult at risk, as the partnership knows them: a minimal label, never a full name. */
@Entity({ schema: 'cases', name: 'subject' })
export class SubjectEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'partnership_id' })
  partnershipId!: string;

  @Column('text', { name: 'display_name' })
  displayName!: string;

  /** `YYYY-MM-DD` (a Postgres `date`). */
  @Column('date', { name: 'date_of_birth', nullable: true })
  dateOfBirth!: string | null;

  @Column('timestamptz', { name: 'created_at' })
  createdAt!: Date;
}
