import type { StatusChangeMessage } from '@mash/schema';

/** Why a status change is held (codes of the error registry, surface `held`). */
export type UnmatchedReasonCode = 'SUBJECT_UNKNOWN' | 'IDENTIFIER_CONFLICT';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * A status change held for a MASH officer, kept, never dropped, until linked: its identifiers matched no subject
 * (`SUBJECT_UNKNOWN`), or pointed to two different subjects (`IDENTIFIER_CONFLICT`).
 */
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

  @Column('text', { name: 'reason_code' })
  reasonCode!: UnmatchedReasonCode;

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
