import type { StatusFacts } from '@mash/schema';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One matched status change on a case's timeline; its id is the StatusChangeMessage id, so replays collide. */
@Entity({ schema: 'cases', name: 'status_change' })
export class StatusChangeEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'case_id' })
  caseId!: string;

  @Column('uuid', { name: 'agency_id' })
  agencyId!: string;

  @Column('text')
  family!: string;

  @Column('text')
  source!: string;

  @Column('text', { name: 'event_id' })
  eventId!: string;

  @Column('text')
  type!: string;

  @Column('text')
  kind!: string;

  @Column('jsonb')
  facts!: StatusFacts;

  @Column('text')
  summary!: string;

  @Column('timestamptz', { name: 'occurred_at' })
  occurredAt!: Date;

  @Column('timestamptz', { name: 'received_at' })
  receivedAt!: Date;
}
