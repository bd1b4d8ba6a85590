import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { AgencyType } from '../domain/reference';

@Entity({ schema: 'agencies', name: 'agency' })
export class AgencyEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column({ name: 'partnership_id', type: 'uuid' })
  partnershipId!: string;

  @Column('text')
  code!: string;

  @Column('text')
  name!: string;

  @Column('text')
  type!: AgencyType;
}
