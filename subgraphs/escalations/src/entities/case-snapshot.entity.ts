import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { CaseSnapshot } from '@mash/schema';

/** The latest case picture the engine received (from case events), so clocks can re-run the rules later. */
@Entity({ name: 'case_snapshot', schema: 'escalations' })
export class CaseSnapshotEntity {
  @PrimaryColumn('text', { name: 'case_id' })
  caseId!: string;

  @Column('text', { name: 'partnership_id' })
  partnershipId!: string;

  /** The snapshot's JSON as written (`json`: read and written whole, never queried into). */
  @Column('json')
  snapshot!: CaseSnapshot;

  @Column('timestamptz', { name: 'updated_at' })
  updatedAt!: Date;

  /** The sequence of the case event it came from (none for snapshots stored before case events carried one). */
  @Column('bigint', { nullable: true })
  sequence!: string | null;
}
