import type { AgencyFamily, AgencyType, EscalationPolicy, IdentifierSystem } from '@mash/schema';

/** Kinds of statutory safeguarding partnership: children (LSCP) or adults (SAB). */
export const PARTNERSHIP_KINDS = ['LSCP', 'SAB'] as const;
export type PartnershipKind = (typeof PARTNERSHIP_KINDS)[number];

export { AGENCY_TYPES, type AgencyType } from '@mash/schema';

export interface PartnershipRecord {
  readonly id: string;
  readonly code: string;
  readonly name: string;
  readonly kind: PartnershipKind;
  readonly policy: EscalationPolicy;
}

export interface AgencyRecord {
  readonly id: string;
  readonly partnershipId: string;
  readonly code: string;
  readonly name: string;
  readonly type: AgencyType;
}

/** A case system registered to publish an agency's status changes. */
export interface SourceSystemRecord {
  readonly id: string;
  readonly agencyId: string;
  readonly code: string;
  readonly name: string;
  readonly family: AgencyFamily;
  readonly identifierSystem: IdentifierSystem;
}
