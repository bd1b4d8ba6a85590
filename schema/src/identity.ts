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

export function hasRole(identity: Identity, ...roles: Role[]): boolean {
  return identity.roles.some((r) => roles.includes(r));
}

/** Integrators see connector health but no personal data; services act on behalf of the platform. */
export function maySeePersonalData(identity: Identity): boolean {
  return identity.roles.some((r) => r !== 'agency-integrator');
}
