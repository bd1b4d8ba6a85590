import { CASEWORK_ROLES, hasRole, maySeePersonalData, type Identity } from '@mash/schema';
import { ForbiddenError, NotFoundError } from '@mash/service-kit';

/** What access decisions need to know about an escalation. */
export interface EscalationParties {
  readonly partnershipId: string;
  readonly raisingAgencyId: string;
  readonly receivingAgencyId: string;
}

/**
 * Need-to-know (ARCHITECTURE.md, "Access"), by allow-list: only callers who may see personal data at all (a
 * casework role) see escalations. Agency integrators, auditors and platform services are refused outright.
 */
export function maySeeEscalations(identity: Identity): boolean {
  return maySeePersonalData(identity);
}

/**
 * An escalation is visible to callers of the raising or receiving agency, to the MASH officers and the chair of
 * its partnership.
 */
export function maySeeEscalation(identity: Identity, e: EscalationParties): boolean {
  if (!maySeeEscalations(identity)) return false;
  if (identity.agencyId !== undefined && isParty(identity.agencyId, e)) return true;
  return seesWholePartnership(identity, e.partnershipId);
}

/** Only a caseworker of the receiving agency acknowledges. */
export function mayAcknowledge(identity: Identity, e: EscalationParties): boolean {
  return (
    maySeeEscalations(identity) &&
    isCaseworker(identity) &&
    identity.agencyId !== undefined &&
    identity.agencyId === e.receivingAgencyId
  );
}

/** A caseworker of either agency in dispute, or the chair of its partnership, records the outcome. */
export function mayResolve(identity: Identity, e: EscalationParties): boolean {
  if (!maySeeEscalations(identity)) return false;
  if (isCaseworker(identity) && identity.agencyId !== undefined && isParty(identity.agencyId, e)) return true;
  return hasRole(identity, 'partnership-chair') && identity.partnershipId === e.partnershipId;
}

/**
 * Which of a partnership's escalations a list may load, so the database filters rather than the caller's memory:
 * all of them (its MASH officers and chair), those where the caller's agency is a party, or none.
 */
export type EscalationListScope =
  | { readonly kind: 'partnership' }
  | { readonly kind: 'agency'; readonly agencyId: string }
  | { readonly kind: 'none' };

/** The scope of a partnership's escalation list for this caller; FORBIDDEN for callers who may see none. */
export function escalationListScope(identity: Identity, partnershipId: string): EscalationListScope {
  assertMaySeeEscalations(identity);
  if (seesWholePartnership(identity, partnershipId)) return { kind: 'partnership' };
  if (identity.agencyId !== undefined) return { kind: 'agency', agencyId: identity.agencyId };
  return { kind: 'none' };
}

/** Lists show only what the caller may see; callers who may see none are refused outright. */
export function visibleEscalations<T extends EscalationParties>(identity: Identity, list: readonly T[]): T[] {
  assertMaySeeEscalations(identity);
  return list.filter((e) => maySeeEscalation(identity, e));
}

export function assertMaySeeEscalations(identity: Identity): void {
  if (!maySeeEscalations(identity)) {
    throw new ForbiddenError('Only caseworkers see escalations.');
  }
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

function isCaseworker(identity: Identity): boolean {
  return hasRole(identity, ...CASEWORK_ROLES);
}

function seesWholePartnership(identity: Identity, partnershipId: string): boolean {
  return hasRole(identity, 'mash-officer', 'partnership-chair') && identity.partnershipId === partnershipId;
}

function isParty(agencyId: string, e: EscalationParties): boolean {
  return agencyId === e.raisingAgencyId || agencyId === e.receivingAgencyId;
}
