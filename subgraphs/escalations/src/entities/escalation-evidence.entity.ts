import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A status change (owned by the cases subgraph, referenced by id) supporting an escalation. */
@Entity({ name: 'escalation_evidence', schema: 'escalations' })
export class EscalationEvidenceEntity {
  @PrimaryColumn('uuid', { name: 'escalation_id' })
  escalationId!: string;

  @PrimaryColumn('text', { name: 'status_change_id' })
  statusChangeId!: string;

  @Column('timestamptz', { name: 'added_at' })
  addedAt!: Date;
}
