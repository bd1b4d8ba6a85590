/** The verified caller, taken from a JWT by the gateway and verified again by each subgraph. */
export const ROLES = [
  'practitioner',
  'line-manager',
  'designated-safeguarding-lead',
  'head-of-service',
  'lado',
  'independent-reviewing-officer',
  'mash-officer',
  'partnership-chair',
  'agency-integrator',
  'auditor',
  'service',
] as const;
export type Role = (typeof ROLES)[number];

export interface Identity {
  /** Stable subject of the token: a contact id for people, a service name for services. */
  readonly subject: string;
  readonly name?: string;
  /** The agency the caller works for (absent for partnership-level and service identities). */
  readonly agencyId?: string;
  /** The partnership the caller acts in. */
  readonly partnershipId?: string;
  readonly roles: readonly Role[];
}

/** JWT claims carrying the identity, beside the registered claims (iss, aud, exp, sub). */
export interface IdentityClaims {
  readonly sub: string;
  readonly name?: string;
  readonly agency?: string;
  readonly partnership?: string;
  readonly roles: readonly string[];
}

/**
 * Callers whose access is decided alike: every access rule today depends on the caller's partnership, agency and
 * roles, so a decision made for one holds for every caller of the same scope (the live hub shares one resolution
 * among them; the audit trail copies its entries to them).
 */
export function accessScopeOf(identity: Identity): string {
  return [identity.partnershipId ?? '', identity.agencyId ?? '', [...identity.roles].sort().join(',')].join(
    '|',
  );
}

export function hasRole(identity: Identity, ...roles: Role[]): boolean {
  return identity.roles.some((r) => roles.includes(r));
}

/** Roles whose work is casework: they may see the personal data of the cases their agency or partnership holds. */
export const CASEWORK_ROLES = [
  'practitioner',
  'line-manager',
  'designated-safeguarding-lead',
  'head-of-service',
  'lado',
  'independent-reviewing-officer',
  'mash-officer',
  'partnership-chair',
] as const satisfies readonly Role[];

/**
 * Need-to-know starts from an allow-list: a casework role. An agency integrator sees connector health but never
 * personal data, whatever other role the same token claims; an auditor reads the audit trail, not the records; a
 * platform service reads reference data (source systems, policies, the professionals' directory) and no personal
 * data: none of their jobs needs it (case snapshots travel inside case events).
 */
export function maySeePersonalData(identity: Identity): boolean {
  if (identity.roles.includes('agency-integrator')) return false;
  return identity.roles.some((r) => (CASEWORK_ROLES as readonly Role[]).includes(r));
}

/** A platform service: the `service` role on a `service:` subject (the verifier drops the role otherwise). */
export function isService(identity: Identity): boolean {
  return identity.roles.includes('service') && identity.subject.startsWith('service:');
}

/** The agency and partnership a registered source system belongs to. */
export interface SourceSystemOwner {
  readonly agencyId: string;
  readonly partnershipId: string;
}

/**
 * Who may read a source system's connector health (counts, lag, dead-letter codes and field paths, unmatched counts;
 * never personal data): the agency integrators of the agency that owns it, and the MASH officers of its partnership.
 */
export function mayReadConnectorHealth(identity: Identity, owner: SourceSystemOwner): boolean {
  if (identity.roles.includes('agency-integrator') && identity.agencyId === owner.agencyId) return true;
  return identity.roles.includes('mash-officer') && identity.partnershipId === owner.partnershipId;
}
