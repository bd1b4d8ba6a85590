import { ForbiddenError } from '@mash/service-kit';
import { isService, maySeePersonalData, type Identity } from '@mash/schema';

/**
 * Who may read the directory (names, phones and emails of professionals) and stage routing:
 * services see every partnership; people who may see personal data see their own partnership only; agency
 * integrators (whatever else their token claims), auditors, and people whose token names no partnership, see none
 * of it. The allow-list (`maySeePersonalData`, `isService`) is `@mash/schema`'s, so contacts, cases and escalations
 * agree.
 */
export type DirectoryAccess =
  | { readonly kind: 'denied'; readonly reason: string }
  | { readonly kind: 'every-partnership' }
  | { readonly kind: 'one-partnership'; readonly partnershipId: string };

export type GrantedDirectoryAccess = Exclude<DirectoryAccess, { kind: 'denied' }>;

export function directoryAccess(identity: Identity): DirectoryAccess {
  // The professionals' directory is reference data to services (stage routing), not a subject's personal data.
  if (isService(identity)) return { kind: 'every-partnership' };
  if (!maySeePersonalData(identity)) {
    return { kind: 'denied', reason: 'This role sees no personal data in the directory.' };
  }
  if (!identity.partnershipId) {
    return { kind: 'denied', reason: 'The token names no partnership, so no directory is visible.' };
  }
  return { kind: 'one-partnership', partnershipId: identity.partnershipId };
}

/**
 * Contacts of another partnership are invisible rather than forbidden: a lookup answers null (or an empty list),
 * so a caller cannot learn who exists elsewhere.
 */
export function mayReadPartnership(access: GrantedDirectoryAccess, partnershipId: string): boolean {
  return access.kind === 'every-partnership' || access.partnershipId === partnershipId;
}

/** The caller's directory access, or FORBIDDEN when they may read none of it. */
export function requireDirectoryAccess(identity: Identity): GrantedDirectoryAccess {
  const access = directoryAccess(identity);
  if (access.kind === 'denied') throw new ForbiddenError(access.reason);
  return access;
}

/** The contacts among these that the caller may see. */
export function visibleContacts<T extends { partnershipId: string }>(
  access: GrantedDirectoryAccess,
  contacts: readonly T[],
): T[] {
  return contacts.filter((c) => mayReadPartnership(access, c.partnershipId));
}
