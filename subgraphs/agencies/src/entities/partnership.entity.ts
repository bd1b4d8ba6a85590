import type { EscalationPolicy } from '@mash/schema';
import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import type { PartnershipKind } from '../domain/reference';

@Entity({ schema: 'agencies', name: 'partnership' })
export class PartnershipEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('text')
  code!: string;

  @Column('text')
  name!: string;

  @Column('text')
  kind!: PartnershipKind;

  /** The EscalationPolicy document, validated before it is written. */
  @Column('jsonb')
  policy!: EscalationPolicy;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
