import { CASEWORK_ROLES, hasRole, maySeePersonalData, type Identity } from '@mash/schema';

/**
 * Need-to-know for cases (docs/DOMAIN.md#access-and-data-protection). A case, its subject and identifiers,
 * its timeline and status changes are visible to the agencies involved in it, to the MASH officers and the chair
 * of its partnership; agency integrators, auditors and platform services see no personal data. The allow-list
 * (`maySeePersonalData`, `CASEWORK_ROLES`) is `@mash/schema`'s, so cases, contacts and escalations
 * agree. Plain predicates: resolvers turn a refusal into FORBIDDEN for single records and filter lists.
 */
export interface CaseAccessFacts {
  readonly partnershipId: string;
  /** Every agency involved in the case, open or closed. */
  readonly involvedAgencyIds: readonly string[];
}

/** MASH officers and the partnership chair oversee every case of their own partnership. */
export function oversees(identity: Identity, partnershipId: string): boolean {
  return identity.partnershipId === partnershipId && hasRole(identity, 'mash-officer', 'partnership-chair');
}

/** Someone who works cases inside an agency, acting for that agency. */
function agencyCaseworker(identity: Identity): identity is Identity & { readonly agencyId: string } {
  return identity.agencyId !== undefined && hasRole(identity, ...CASEWORK_ROLES);
}

/** An access rule's answer and the rule that gave it (the audit trail records the ground). */
export interface Decision {
  readonly allowed: boolean;
  readonly ground: string;
  readonly reason?: string;
}

const NO_PERSONAL_DATA: Decision = {
  allowed: false,
  ground: 'refused:no-personal-data-role',
  reason: 'This role sees no personal data.',
};

export function caseReadDecision(identity: Identity, facts: CaseAccessFacts): Decision {
  if (!maySeePersonalData(identity)) return NO_PERSONAL_DATA;
  if (oversees(identity, facts.partnershipId)) return { allowed: true, ground: 'partnership-oversight' };
  if (agencyCaseworker(identity) && facts.involvedAgencyIds.includes(identity.agencyId)) {
    return { allowed: true, ground: 'involved-agency' };
  }
  return { allowed: false, ground: 'refused:not-involved', reason: 'No need-to-know for this case.' };
}

export function mayReadCase(identity: Identity, facts: CaseAccessFacts): boolean {
  return caseReadDecision(identity, facts).allowed;
}

/** A subject is visible with any of its cases, and to those who oversee its partnership (before any case). */
export function subjectReadDecision(
  identity: Identity,
  subject: { readonly partnershipId: string },
  cases: readonly CaseAccessFacts[],
): Decision {
  if (!maySeePersonalData(identity)) return NO_PERSONAL_DATA;
  if (oversees(identity, subject.partnershipId)) return { allowed: true, ground: 'partnership-oversight' };
  if (cases.some((c) => mayReadCase(identity, c))) return { allowed: true, ground: 'involved-agency' };
  return { allowed: false, ground: 'refused:not-involved', reason: 'No need-to-know for this subject.' };
}

export function maySeeSubject(
  identity: Identity,
  subject: { readonly partnershipId: string },
  cases: readonly CaseAccessFacts[],
): boolean {
  return subjectReadDecision(identity, subject, cases).allowed;
}

/** Registering subjects and linking status changes: the partnership's own MASH officers. */
export function matchingDecision(identity: Identity, partnershipId: string): Decision {
  if (!maySeePersonalData(identity)) return NO_PERSONAL_DATA;
  if (mayManageMatching(identity, partnershipId))
    return { allowed: true, ground: 'partnership-mash-officer' };
  return {
    allowed: false,
    ground: 'refused:not-partnership-mash-officer',
    reason: "Only the partnership's own MASH officers see and link its unmatched status changes.",
  };
}

/** Matching (registering subjects, linking unmatched status changes) is the MASH officers' job in their partnership. */
export function mayManageMatching(identity: Identity, partnershipId: string): boolean {
  return (
    maySeePersonalData(identity) &&
    identity.partnershipId === partnershipId &&
    hasRole(identity, 'mash-officer')
  );
}

/** Which of a partnership's cases a caller may list, so the list can be narrowed in the query itself. */
export type CaseListScope =
  | { readonly kind: 'all' }
  | { readonly kind: 'involving'; readonly agencyId: string }
  | { readonly kind: 'none' };

export function caseListScope(identity: Identity, partnershipId: string): CaseListScope {
  if (!maySeePersonalData(identity)) return { kind: 'none' };
  if (oversees(identity, partnershipId)) return { kind: 'all' };
  if (agencyCaseworker(identity)) return { kind: 'involving', agencyId: identity.agencyId };
  return { kind: 'none' };
}
