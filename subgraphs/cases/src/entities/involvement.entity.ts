import { Column, Entity, PrimaryColumn } from 'typeorm';

/** An agency's involvement in a case, with its own reference for it. */
@Entity({ schema: 'cases', name: 'involvement' })
export class InvolvementEntity {
  @PrimaryColumn('uuid', { name: 'case_id' })
  caseId!: string;

  @PrimaryColumn('uuid', { name: 'agency_id' })
  agencyId!: string;

  @Column('text', { name: 'local_reference', nullable: true })
  localReference!: string | null;

  @Column('boolean')
  open!: boolean;

  @Column('timestamptz')
  since!: Date;

  /** When the open/closed state was last reported (older reports do not change it). */
  @Column('timestamptz', { name: 'open_as_of' })
  openAsOf!: Date;
}
