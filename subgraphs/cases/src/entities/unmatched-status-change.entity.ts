import type { StatusChangeMessage } from '@mash/schema';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A status change whose identifier matched no subject: kept, never dropped, until a MASH officer links it. */
@Entity({ schema: 'cases', name: 'unmatched_status_change' })
export class UnmatchedStatusChangeEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'partnership_id' })
  partnershipId!: string;

  @Column('uuid', { name: 'agency_id' })
  agencyId!: string;

  @Column('text', { name: 'identifier_system' })
  identifierSystem!: string;

  @Column('text', { name: 'identifier_value' })
  identifierValue!: string;

  @Column('jsonb')
  message!: StatusChangeMessage;

  @Column('timestamptz', { name: 'received_at' })
  receivedAt!: Date;

  @Column('timestamptz', { name: 'linked_at', nullable: true })
  linkedAt!: Date | null;

  @Column('uuid', { name: 'linked_subject_id', nullable: true })
  linkedSubjectId!: string | null;

  @Column('text', { name: 'linked_by', nullable: true })
  linkedBy!: string | null;
}
