import type { EscalationPolicy } from '@mash/schema';
import type { AgencyDirectory } from '@mash/service-kit';
import type { AgencyRef } from '../domain/rules/finding';

/** What the rules and clocks read about a partnership from the agencies subgraph, which owns it. */
export interface PartnershipReference {
  readonly policy: EscalationPolicy;
  /** Names for reasons, types for choosing the parties of a finding. */
  readonly agencies: readonly AgencyRef[];
}

/**
 * The partnership's policy and agencies. A directory without `agencies` (a stub) gives none: reasons then name
 * agencies by id, and grounds that choose parties by type find no one to raise. A failure is thrown, for the
 * caller to retry: rules run without agencies would find nothing and disarm what waits.
 */
export async function partnershipReference(
  directory: AgencyDirectory,
  partnershipId: string,
): Promise<PartnershipReference> {
  const policy = await directory.policy(partnershipId);
  const agencies = (await directory.agencies?.(partnershipId)) ?? [];
  return { policy, agencies };
}
