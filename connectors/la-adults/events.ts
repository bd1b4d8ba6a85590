import type { PartnerAgencyType, SafeguardingEnquiryType, SubjectIdentifier } from '@mash/schema';

/** The adult social care family's published CloudEvent types (Care Act 2014 s42 safeguarding). */
export const LA_ADULTS_EVENT_TYPES = {
  concernReceived: 'uk.mash.la-adults.safeguarding-concern-received.v1',
  enquiryDecision: 'uk.mash.la-adults.s42-enquiry-decision.v1',
  planStarted: 'uk.mash.la-adults.safeguarding-plan-started.v1',
  planEnded: 'uk.mash.la-adults.safeguarding-plan-ended.v1',
  caseClosed: 'uk.mash.la-adults.case-closed.v1',
} as const;

export interface LaAdultSubject {
  readonly system: 'la-person-id';
  readonly value: string;
}

/** What every adult social care event's data carries about its subject. */
interface LaAdultsData {
  readonly subject: LaAdultSubject;
  /** Other identifiers the adult's record holds (often the NHS number). */
  readonly otherIdentifiers?: readonly SubjectIdentifier[];
}

/** `uk.mash.la-adults.safeguarding-concern-received.v1` data. */
export interface ConcernReceivedData extends LaAdultsData {
  readonly concernRef: string;
  readonly receivedAt: string;
  readonly raisedByAgency?: PartnerAgencyType;
}

export const NO_ENQUIRY_REASONS = [
  'criteria-not-met',
  'information-and-advice',
  'referred-to-other-service',
  'other',
] as const;
export type NoEnquiryReason = (typeof NO_ENQUIRY_REASONS)[number];

/** `uk.mash.la-adults.s42-enquiry-decision.v1` data. */
export interface EnquiryDecisionData extends LaAdultsData {
  readonly concernRef: string;
  readonly decidedAt: string;
  readonly decision: 'enquiry' | 'no-enquiry';
  /** With decision `enquiry` only. */
  readonly enquiryType?: SafeguardingEnquiryType;
  /** With decision `no-enquiry` only. */
  readonly noEnquiryReason?: NoEnquiryReason;
}

/** `uk.mash.la-adults.safeguarding-plan-started.v1` data. */
export interface SafeguardingPlanStartedData extends LaAdultsData {
  readonly planRef: string;
  readonly startedAt: string;
  readonly visitFrequencyDays?: number;
}

export const RISK_OUTCOMES = ['risk-removed', 'risk-reduced', 'risk-remains'] as const;
export type RiskOutcome = (typeof RISK_OUTCOMES)[number];

/** `uk.mash.la-adults.safeguarding-plan-ended.v1` data. */
export interface SafeguardingPlanEndedData extends LaAdultsData {
  readonly planRef: string;
  readonly endedAt: string;
  readonly riskOutcome?: RiskOutcome;
}

export const ADULT_CLOSURE_REASONS = [
  'no-further-action',
  'needs-met',
  'moved-away',
  'transferred-to-another-authority',
  'other',
] as const;
export type AdultClosureReason = (typeof ADULT_CLOSURE_REASONS)[number];

/** `uk.mash.la-adults.case-closed.v1` data. */
export interface AdultCaseClosedData extends LaAdultsData {
  readonly caseRef: string;
  readonly closedAt: string;
  readonly closureReason?: AdultClosureReason;
}
