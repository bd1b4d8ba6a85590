import { PARTNER_AGENCY_TYPES, type PartnerAgencyType, type ReferralOutcome } from '@mash/schema';

/** The children's social care family's published CloudEvent types. */
export const LA_CHILDREN_EVENT_TYPES = {
  referralOutcome: 'uk.mash.la-children.referral-outcome.v1',
  caseClosed: 'uk.mash.la-children.case-closed.v1',
} as const;

export interface LaPersonSubject {
  readonly system: 'la-person-id';
  readonly value: string;
}

/** Agency types (docs/DOMAIN.md#core-concepts) that can make a referral: the partner agencies. */
export const REFERRER_AGENCIES = PARTNER_AGENCY_TYPES;
export type ReferrerAgency = PartnerAgencyType;

/** `uk.mash.la-children.referral-outcome.v1` data. */
export interface ReferralOutcomeData {
  readonly subject: LaPersonSubject;
  readonly referralRef: string;
  readonly outcome: ReferralOutcome;
  readonly decidedAt: string;
  readonly referrerAgency?: ReferrerAgency;
}

export const CLOSURE_REASONS = [
  'no-further-action',
  'stepped-down-to-early-help',
  'needs-met',
  'transferred-to-another-authority',
  'moved-away',
  'other',
] as const;
export type ClosureReason = (typeof CLOSURE_REASONS)[number];

/** `uk.mash.la-children.case-closed.v1` data. */
export interface CaseClosedData {
  readonly subject: LaPersonSubject;
  readonly caseRef: string;
  readonly closedAt: string;
  readonly closureReason?: ClosureReason;
}
