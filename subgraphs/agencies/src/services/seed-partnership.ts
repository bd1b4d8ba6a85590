import type { DataSource } from 'typeorm';
import type { AgencyRecord, PartnershipKind, SourceSystemRecord } from '../domain/reference';
import { validatePolicy } from '../domain/policy';
import { upsertPartnership } from '../repositories/partnership.repository';

export interface PartnershipSeed {
  readonly partnership: {
    readonly id: string;
    readonly code: string;
    readonly name: string;
    readonly kind: PartnershipKind;
    /** An EscalationPolicy document; validated with validatePolicy before anything is written. */
    readonly policy: unknown;
  };
  readonly agencies: readonly Omit<AgencyRecord, 'partnershipId'>[];
  readonly sourceSystems: readonly SourceSystemRecord[];
}

/**
 * Writes a partnership with its agencies and source systems in one transaction. Idempotent: rows are upserted
 * by id, so seeding again brings them up to date. Tests use it to seed partnerships with their own policy.
 */
export async function seedPartnership(dataSource: DataSource, seed: PartnershipSeed): Promise<void> {
  const policy = validatePolicy(seed.partnership.policy);
  const agencyIds = new Set(seed.agencies.map((a) => a.id));
  const stray = seed.sourceSystems.filter((s) => !agencyIds.has(s.agencyId));
  if (stray.length > 0) {
    throw new Error(
      `source systems ${stray.map((s) => s.code).join(', ')} name agencies outside this partnership`,
    );
  }
  await dataSource.transaction((manager) => upsertPartnership(manager, seed, policy));
}
