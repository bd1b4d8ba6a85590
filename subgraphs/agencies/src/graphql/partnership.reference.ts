import type { AgenciesContext } from './context';
import type { PartnershipRecord } from '../domain/reference';

export async function resolvePartnershipReference(
  reference: { id: string },
  ctx: AgenciesContext,
): Promise<PartnershipRecord | null> {
  return ctx.loaders.partnership.load(reference.id);
}
