import type { AgenciesContext } from './context';
import type { AgencyRecord } from '../domain/reference';

export async function resolveAgencyReference(
  reference: { id: string },
  ctx: AgenciesContext,
): Promise<AgencyRecord | null> {
  return ctx.loaders.agency.load(reference.id);
}
