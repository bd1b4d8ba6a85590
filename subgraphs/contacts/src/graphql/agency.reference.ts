import type { Agency } from './agency.type';

/** Agencies live in the agencies subgraph; here an agency is just its id, to hang its contacts on. */
export function resolveAgencyReference(reference: { id: string }): Agency {
  return { id: reference.id };
}
