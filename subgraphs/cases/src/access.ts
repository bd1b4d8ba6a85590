import { hasRole, maySeePersonalData, type Identity, type Role } from '@mash/schema';

/**
 * Need-to-know for case records (DOMAIN.md, "Access and data protection"). A case, its subject and identifiers,
 * its timeline and status changes are visible to the agencies involved in it, to the MASH officers and the chair
 * of its partnership, and to services; agency integrators see no personal data. Plain predicates: resolvers turn
 * a refusal into FORBIDDEN for single records and filter lists.
 */
export interface CaseAccessFacts {
  readonly partnershipId: string;
  /** Every agency involved in the case, open or closed. */
  readonly involvedAgencyIds: readonly string[];
}

/** Roles that work cases inside an agency; auditors and integrators are not among them. */
const CASEWORK_ROLES: readonly Role[] = [
  'practitioner',
  'line-manager',
  'designated-safeguarding-lead',
  'head-of-service',
  'lado',
  'independent-reviewing-officer',
  'mash-officer',
  'partnership-chair',
];

/** MASH officers and the partnership chair oversee every case of their own partnership. */
export function oversees(identity: Identity, partnershipId: string): boolean {
  return identity.partnershipId === partnershipId && hasRole(identity, 'mash-officer', 'partnership-chair');
}

export function mayReadCase(identity: Identity, facts: CaseAccessFacts): boolean {
  if (!maySeePersonalData(identity)) return false;
  if (hasRole(identity, 'service') || oversees(identity, facts.partnershipId)) return true;
  return (
    identity.agencyId !== undefined &&
    facts.involvedAgencyIds.includes(identity.agencyId) &&
    hasRole(identity, ...CASEWORK_ROLES)
  );
}

/** A subject is visible with any of its cases, and to those who oversee its partnership (before any case). */
export function maySeeSubject(
  identity: Identity,
  subject: { readonly partnershipId: string },
  cases: readonly CaseAccessFacts[],
): boolean {
  if (!maySeePersonalData(identity)) return false;
  if (hasRole(identity, 'service') || oversees(identity, subject.partnershipId)) return true;
  return cases.some((c) => mayReadCase(identity, c));
}

/** Matching (registering subjects, linking unmatched status changes) is the MASH officers' job in their partnership. */
export function mayManageMatching(identity: Identity, partnershipId: string): boolean {
  return identity.partnershipId === partnershipId && hasRole(identity, 'mash-officer');
}

/** Which of a partnership's cases a caller may list, so the list can be narrowed in the query itself. */
export type CaseListScope =
  | { readonly kind: 'all' }
  | { readonly kind: 'involving'; readonly agencyId: string }
  | { readonly kind: 'none' };

export function caseListScope(identity: Identity, partnershipId: string): CaseListScope {
  if (!maySeePersonalData(identity)) return { kind: 'none' };
  if (hasRole(identity, 'service') || oversees(identity, partnershipId)) return { kind: 'all' };
  if (identity.agencyId !== undefined && hasRole(identity, ...CASEWORK_ROLES)) {
    return { kind: 'involving', agencyId: identity.agencyId };
  }
  return { kind: 'none' };
}
