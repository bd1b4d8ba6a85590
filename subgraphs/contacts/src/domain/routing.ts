import type { Role } from '@mash/schema';
import type { ContactRecord } from './contact';

/** Roles held at partnership level: their owners come from anywhere in the partnership, not the agencies in dispute. */
export const PARTNERSHIP_LEVEL_ROLES: readonly Role[] = ['partnership-chair'];

export interface StageRoutingRequest {
  readonly stage: number;
  /** The roles the partnership's policy names as owners of this stage. */
  readonly ownerRoles: readonly string[];
  /** The agencies in dispute (raising and receiving). */
  readonly agencyIds: readonly string[];
  readonly partnershipId: string;
}

function byDutyThenName(a: ContactRecord, b: ContactRecord): number {
  if (a.onDutyCover !== b.onDutyCover) return a.onDutyCover ? -1 : 1;
  return a.name.localeCompare(b.name, 'en-GB') || a.id.localeCompare(b.id);
}

/**
 * Who owns a stage: contacts of the partnership whose role is one of the stage's owner roles, in the agencies in
 * dispute, or anywhere in the partnership for partnership-level roles (the chair). Those covering duty come
 * first, then by name.
 */
export function routeStage(
  request: StageRoutingRequest,
  directory: readonly ContactRecord[],
): ContactRecord[] {
  const roles = new Set(request.ownerRoles);
  const agencies = new Set(request.agencyIds);
  return directory
    .filter(
      (c) =>
        c.partnershipId === request.partnershipId &&
        roles.has(c.role) &&
        (agencies.has(c.agencyId) || PARTNERSHIP_LEVEL_ROLES.includes(c.role)),
    )
    .sort(byDutyThenName);
}
