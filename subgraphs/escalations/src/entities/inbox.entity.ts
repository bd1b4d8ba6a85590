import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Case events already applied, by status change id: a redelivered or replayed event changes nothing. */
@Entity({ name: 'inbox', schema: 'escalations' })
export class InboxEntity {
  @PrimaryColumn('text', { name: 'message_id' })
  messageId!: string;

  @Column('timestamptz', { name: 'processed_at' })
  processedAt!: Date;
}
