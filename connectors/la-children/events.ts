import {
  PARTNER_AGENCY_TYPES,
  type ContactOutcome,
  type PartnerAgencyType,
  type ReferralOutcome,
  type SubjectIdentifier,
} from '@mash/schema';

/** The children's social care family's published CloudEvent types. */
export const LA_CHILDREN_EVENT_TYPES = {
  referralOutcome: 'uk.mash.la-children.referral-outcome.v1',
  caseClosed: 'uk.mash.la-children.case-closed.v1',
  contactOutcome: 'uk.mash.la-children.contact-outcome.v1',
  strategyDiscussionOutcome: 'uk.mash.la-children.strategy-discussion-outcome.v1',
  initialConferenceHeld: 'uk.mash.la-children.initial-conference-held.v1',
  reviewConferenceHeld: 'uk.mash.la-children.review-conference-held.v1',
  coreGroupHeld: 'uk.mash.la-children.core-group-held.v1',
  planStarted: 'uk.mash.la-children.plan-started.v1',
  planEnded: 'uk.mash.la-children.plan-ended.v1',
  planActionCreated: 'uk.mash.la-children.plan-action-created.v1',
  planActionUpdated: 'uk.mash.la-children.plan-action-updated.v1',
  planActionDone: 'uk.mash.la-children.plan-action-done.v1',
  visitDone: 'uk.mash.la-children.visit-done.v1',
  visitNoAccess: 'uk.mash.la-children.visit-no-access.v1',
} as const;

export interface LaPersonSubject {
  readonly system: 'la-person-id';
  readonly value: string;
}

/** What every children's social care event's data carries about its subject. */
interface LaChildrenData {
  readonly subject: LaPersonSubject;
  /** Other identifiers the local authority's record holds for the child (often the NHS number). */
  readonly otherIdentifiers?: readonly SubjectIdentifier[];
}

/** Agency types (docs/DOMAIN.md#core-concepts) that can make a referral: the partner agencies. */
export const REFERRER_AGENCIES = PARTNER_AGENCY_TYPES;
export type ReferrerAgency = PartnerAgencyType;

/** `uk.mash.la-children.referral-outcome.v1` data. */
export interface ReferralOutcomeData extends LaChildrenData {
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
export interface CaseClosedData extends LaChildrenData {
  readonly caseRef: string;
  readonly closedAt: string;
  readonly closureReason?: ClosureReason;
}

/** `uk.mash.la-children.contact-outcome.v1` data. */
export interface ContactOutcomeData extends LaChildrenData {
  readonly contactRef: string;
  readonly outcome: ContactOutcome;
  readonly decidedAt: string;
  readonly referrerAgency?: ReferrerAgency;
}

/** `uk.mash.la-children.strategy-discussion-outcome.v1` data. */
export interface StrategyDiscussionOutcomeData extends LaChildrenData {
  readonly discussionRef: string;
  readonly heldAt: string;
  /** Whether the discussion started a section 47 enquiry. */
  readonly s47Started: boolean;
}

/** `uk.mash.la-children.initial-conference-held.v1` and `….review-conference-held.v1` data. */
export interface ConferenceHeldData extends LaChildrenData {
  readonly conferenceRef: string;
  readonly heldAt: string;
  /** Initial: the child is to have a child protection plan. Review: the plan is to continue. */
  readonly planDecided: boolean;
}

/** `uk.mash.la-children.core-group-held.v1` data. */
export interface CoreGroupHeldData extends LaChildrenData {
  readonly heldAt: string;
  /** The child protection plan the core group works to. */
  readonly planRef?: string;
  readonly meetingRef?: string;
}

/** The plans children's social care publishes (adults' safeguarding plans belong to la-adults). */
export const LA_CHILDREN_PLAN_KINDS = ['child-protection', 'child-in-need'] as const;
export type LaChildrenPlanKind = (typeof LA_CHILDREN_PLAN_KINDS)[number];

/** `uk.mash.la-children.plan-started.v1` data. */
export interface PlanStartedData extends LaChildrenData {
  readonly planRef: string;
  readonly planKind: LaChildrenPlanKind;
  readonly startedAt: string;
  /** How often the plan says the child must be visited, in calendar days. */
  readonly visitFrequencyDays?: number;
}

export const PLAN_END_REASONS = [
  'stepped-down-to-child-in-need',
  'stepped-down-to-early-help',
  'needs-met',
  'moved-away',
  'transferred-to-another-authority',
  'other',
] as const;
export type PlanEndReason = (typeof PLAN_END_REASONS)[number];

/** `uk.mash.la-children.plan-ended.v1` data. */
export interface PlanEndedData extends LaChildrenData {
  readonly planRef: string;
  readonly planKind: LaChildrenPlanKind;
  readonly endedAt: string;
  readonly endReason?: PlanEndReason;
}

/** A plan action as the plan-action events carry it: as it stands after the event. */
interface PlanActionData extends LaChildrenData {
  readonly planRef: string;
  readonly actionRef: string;
  /** Plain words; never a name or an identifier. Kept out of summaries all the same. */
  readonly description: string;
  /** Calendar date (YYYY-MM-DD); absent when none is set. */
  readonly dueDate?: string;
  readonly ownerAgencyType?: PartnerAgencyType;
}

/** `uk.mash.la-children.plan-action-created.v1` data. */
export interface PlanActionCreatedData extends PlanActionData {
  readonly createdAt: string;
}

/** `uk.mash.la-children.plan-action-updated.v1` data. */
export interface PlanActionUpdatedData extends PlanActionData {
  readonly updatedAt: string;
}

/** `uk.mash.la-children.plan-action-done.v1` data. */
export interface PlanActionDoneData extends PlanActionData {
  readonly doneAt: string;
}

/** `uk.mash.la-children.visit-done.v1` data: the child was seen. */
export interface VisitDoneData extends LaChildrenData {
  readonly visitedAt: string;
  readonly visitRef?: string;
  readonly plan?: { readonly ref: string; readonly kind: LaChildrenPlanKind };
}

export const NO_ACCESS_REASONS = ['no-answer', 'access-refused', 'child-not-seen'] as const;
export type NoAccessReason = (typeof NO_ACCESS_REASONS)[number];

/** `uk.mash.la-children.visit-no-access.v1` data: the child was not seen. */
export interface VisitNoAccessData extends VisitDoneData {
  readonly reason?: NoAccessReason;
}
