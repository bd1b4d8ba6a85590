import type { EscalationPolicy } from '@mash/schema';
import type { EntityManager } from 'typeorm';
import { AgencyEntity } from '../entities/agency.entity';
import { PartnershipEntity } from '../entities/partnership.entity';
import { SourceSystemEntity } from '../entities/source-system.entity';
import type { PartnershipSeed } from '../services/seed-partnership';

/** Writes a partnership, its agencies and source systems, upserted by id, in the caller's transaction. */
export async function upsertPartnership(
  manager: EntityManager,
  seed: PartnershipSeed,
  policy: EscalationPolicy,
): Promise<void> {
  await manager.upsert(PartnershipEntity, { ...seed.partnership, policy }, ['id']);
  if (seed.agencies.length > 0) {
    await manager.upsert(
      AgencyEntity,
      seed.agencies.map((a) => ({ ...a, partnershipId: seed.partnership.id })),
      ['id'],
    );
  }
  if (seed.sourceSystems.length > 0) {
    await manager.upsert(
      SourceSystemEntity,
      seed.sourceSystems.map((s) => ({ ...s })),
      ['id'],
    );
  }
}
