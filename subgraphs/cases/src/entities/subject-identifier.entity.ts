import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One agency's identifier for a subject; unique within the partnership, so it finds exactly one subject. */
@Entity({ schema: 'cases', name: 'subject_identifier' })
export class SubjectIdentifierEntity {
  @PrimaryColumn('uuid', { name: 'partnership_id' })
  partnershipId!: string;

  @PrimaryColumn('text')
  system!: string;

  @PrimaryColumn('text')
  value!: string;

  @Column('uuid', { name: 'subject_id' })
  subjectId!: string;

  @Column('timestamptz', { name: 'created_at' })
  createdAt!: Date;
}
