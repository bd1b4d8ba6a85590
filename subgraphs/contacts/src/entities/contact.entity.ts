import type { Role } from '@mash/schema';
import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity({ schema: 'contacts', name: 'contact' })
export class ContactEntity {
  @PrimaryColumn('uuid')
  id!: string;

  /** The partnership (owned by the agencies subgraph; referenced by id, never by foreign key). */
  @Column({ name: 'partnership_id', type: 'uuid' })
  partnershipId!: string;

  @Column({ name: 'agency_id', type: 'uuid' })
  agencyId!: string;

  @Column('text')
  name!: string;

  @Column('text')
  role!: Role;

  @Column({ type: 'text', nullable: true })
  team!: string | null;

  @Column({ type: 'text', nullable: true })
  phone!: string | null;

  @Column({ type: 'text', nullable: true })
  email!: string | null;

  @Column({ name: 'manager_id', type: 'uuid', nullable: true })
  managerId!: string | null;

  @Column({ name: 'on_duty_cover', type: 'boolean', default: false })
  onDutyCover!: boolean;
}
