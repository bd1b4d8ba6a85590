import type { AgencyFamily, IdentifierSystem } from '@mash/schema';
import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity({ schema: 'agencies', name: 'source_system' })
export class SourceSystemEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column({ name: 'agency_id', type: 'uuid' })
  agencyId!: string;

  @Column('text')
  code!: string;

  @Column('text')
  name!: string;

  @Column('text')
  family!: AgencyFamily;

  @Column({ name: 'identifier_system', type: 'text' })
  identifierSystem!: IdentifierSystem;
}
