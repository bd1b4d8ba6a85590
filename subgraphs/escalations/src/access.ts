import { hasRole, maySeePersonalData, type Identity } from '@mash/schema';
import { ForbiddenError, NotFoundError } from '@mash/platform';

/** What access decisions need to know about an escalation. */
export interface EscalationParties {
  readonly partnershipId: string;
  readonly raisingAgencyId: string;
  readonly receivingAgencyId: string;
}

/**
 * Need-to-know (ARCHITECTURE.md, "Access"): an escalation is visible to callers of the raising or receiving
 * agency, to the MASH officers and the chair of its partnership, and to services. Agency integrators see no
 * personal data, so no escalations at all.
 */
export function maySeeEscalations(identity: Identity): boolean {
  return maySeePersonalData(identity);
}

export function maySeeEscalation(identity: Identity, e: EscalationParties): boolean {
  if (!maySeeEscalations(identity)) return false;
  if (hasRole(identity, 'service')) return true;
  if (identity.agencyId !== undefined && isParty(identity.agencyId, e)) return true;
  return hasRole(identity, 'mash-officer', 'partnership-chair') && identity.partnershipId === e.partnershipId;
}

/** Only the receiving agency acknowledges. */
export function mayAcknowledge(identity: Identity, e: EscalationParties): boolean {
  return (
    maySeeEscalations(identity) &&
    identity.agencyId !== undefined &&
    identity.agencyId === e.receivingAgencyId
  );
}

/** Either agency in dispute, or the partnership chair, records the outcome. */
export function mayResolve(identity: Identity, e: EscalationParties): boolean {
  if (!maySeeEscalations(identity)) return false;
  if (identity.agencyId !== undefined && isParty(identity.agencyId, e)) return true;
  return hasRole(identity, 'partnership-chair') && identity.partnershipId === e.partnershipId;
}

/** Lists show only what the caller may see; callers who may see none are refused outright. */
export function visibleEscalations<T extends EscalationParties>(identity: Identity, list: readonly T[]): T[] {
  assertMaySeeEscalations(identity);
  return list.filter((e) => maySeeEscalation(identity, e));
}

export function assertMaySeeEscalations(identity: Identity): void {
  if (!maySeeEscalations(identity)) throw new ForbiddenError('Agency integrators see no escalations.');
}

/** A single lookup: NOT_FOUND when there is no such escalation, FORBIDDEN when the caller has no need-to-know. */
export function assertMaySee<T extends EscalationParties>(
  identity: Identity,
  e: T | null | undefined,
  id: string,
): T {
  assertMaySeeEscalations(identity);
  if (!e) throw new NotFoundError(`Escalation ${id}`);
  if (!maySeeEscalation(identity, e)) throw new ForbiddenError();
  return e;
}

function isParty(agencyId: string, e: EscalationParties): boolean {
  return agencyId === e.raisingAgencyId || agencyId === e.receivingAgencyId;
}
