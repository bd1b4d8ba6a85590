import type { Threshold, RiskLevel } from './thresholds';
import type { AgencyFamily } from './topics';

/** CloudEvents 1.0, structured JSON mode: what agency systems publish. */
export interface CloudEvent<D = unknown> {
  readonly specversion: '1.0';
  readonly id: string;
  /** `urn:mash:source:<source-system-code>`: the registered source system that published the event. */
  readonly source: string;
  /** `uk.mash.<family>.<what>.v<N>`: names the published JSON Schema for `data`. */
  readonly type: string;
  readonly time?: string;
  readonly subject?: string;
  readonly datacontenttype?: string;
  readonly dataschema?: string;
  readonly data: D;
}

export const IDENTIFIER_SYSTEMS = ['nhs-number', 'la-person-id', 'police-person-id', 'upn'] as const;
export type IdentifierSystem = (typeof IDENTIFIER_SYSTEMS)[number];

export interface SubjectIdentifier {
  readonly system: IdentifierSystem;
  readonly value: string;
}

export const STATUS_CHANGE_KINDS = [
  'threshold-judgement',
  'referral-outcome',
  'risk-assessment',
  'protection-notice',
  'case-closed',
  /** Health: the child was not brought, or the adult did not attend (FHIR R4 Appointment status `noshow`). */
  'appointment-not-attended',
] as const;
export type StatusChangeKind = (typeof STATUS_CHANGE_KINDS)[number];

export const REFERRAL_OUTCOMES = [
  'no-further-action',
  'early-help',
  'child-in-need',
  'strategy-discussion',
  'child-protection',
] as const;
export type ReferralOutcome = (typeof REFERRAL_OUTCOMES)[number];

/** What one status change says about the reporting agency's position, normalised across families. */
export interface StatusFacts {
  /** The agency's threshold judgement implied by this change. */
  readonly threshold?: Threshold;
  /** The agency's risk rating implied by this change. */
  readonly riskLevel?: RiskLevel;
  readonly referralOutcome?: ReferralOutcome;
  /** The agency closed its involvement. */
  readonly closed?: boolean;
  /** The agency's own reference (incident, referral, case number). */
  readonly reference?: string;
}

/** Topic `mash.status-changes.v1`: one validated agency event, normalised by its connector. */
export interface StatusChangeMessage {
  /** Deterministic from (source, event id): replaying an event yields the same id. */
  readonly id: string;
  readonly eventId: string;
  readonly source: string;
  readonly type: string;
  readonly family: AgencyFamily;
  readonly partnershipId: string;
  readonly agencyId: string;
  readonly sourceSystemId: string;
  readonly subject: SubjectIdentifier;
  readonly kind: StatusChangeKind;
  readonly facts: StatusFacts;
  /** A short plain-English line for timelines and evidence lists. Holds no identifiers. */
  readonly summary: string;
  readonly occurredAt: string;
  readonly receivedAt: string;
}

/** One agency's current position on a case, with the status changes that set each part of it. */
export interface AgencyPositionSnapshot {
  readonly agencyId: string;
  readonly threshold: Threshold | null;
  readonly thresholdStatusChangeId: string | null;
  readonly riskLevel: RiskLevel | null;
  readonly riskStatusChangeId: string | null;
  readonly referralOutcome: ReferralOutcome | null;
  readonly referralStatusChangeId: string | null;
  /** When each part was last set (event time); absent parts are null. `asOf` is the latest of them. */
  readonly thresholdAsOf?: string | null;
  readonly riskAsOf?: string | null;
  readonly referralAsOf?: string | null;
  /**
   * Since when each part's current value has held (event time): set when the value changes, kept when a newer
   * report repeats it; null for a part never set. A disagreement began when the values in dispute took hold, not
   * when they were last confirmed. Absent from producers that predate it: fall back to the `*AsOf` time.
   */
  readonly thresholdSince?: string | null;
  readonly riskSince?: string | null;
  readonly referralSince?: string | null;
  readonly asOf: string;
}

export interface CaseSnapshot {
  readonly id: string;
  readonly partnershipId: string;
  readonly subjectId: string;
  readonly status: 'open' | 'closed';
  readonly involvements: readonly { readonly agencyId: string; readonly open: boolean }[];
  readonly positions: readonly AgencyPositionSnapshot[];
}

/** Topic `mash.case-events.v1`: a status change matched to its case, with the case as it stands after it. */
export interface CaseEventMessage {
  readonly statusChange: StatusChangeMessage;
  readonly case: CaseSnapshot;
}

export const ESCALATION_EVENT_TYPES = [
  'raised',
  'evidence-added',
  'acknowledged',
  'stage-advanced',
  'resolved',
] as const;
export type EscalationEventType = (typeof ESCALATION_EVENT_TYPES)[number];

/** Topic `mash.escalation-events.v1`: the escalation lifecycle, for live boards and notifications. */
export interface EscalationEventMessage {
  /** Unique per event, so consumers can drop the duplicates an at-least-once relay may deliver. */
  readonly id: string;
  readonly type: EscalationEventType;
  readonly escalationId: string;
  readonly caseId: string;
  readonly partnershipId: string;
  readonly stage: number;
  readonly status: string;
  readonly at: string;
  readonly rationale: string;
}
