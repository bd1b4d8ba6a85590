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
  /** LA children: a contact received and its outcome (no further action, early help, referral). */
  'contact-outcome',
  /** LA children: a strategy discussion's outcome (`facts.s47Started`). */
  'strategy-discussion',
  /** LA children: an initial or review child protection conference (`facts.conference`). */
  'child-protection-conference',
  /** LA children: a core group met (`facts.plan.ref` names the plan when the system knows it). */
  'core-group',
  /** LA children (and adults): a plan started (`facts.plan`). */
  'plan-started',
  /** LA children (and adults): a plan ended (`facts.plan`). */
  'plan-ended',
  /** LA children: a plan action was created, updated or done (`facts.planAction`). */
  'plan-action',
  /** LA children: a statutory visit was done or found no one in (`facts.visit`). */
  'visit',
  /** Police: a missing episode was reported or the person returned (`facts.missingEpisode`). */
  'missing-episode',
  /** Police: a referral to a multi-agency risk assessment conference. */
  'marac-referral',
  /** Education: attendance fell below the school's threshold for a period (`facts.attendance`). */
  'attendance-below-threshold',
  /** Education: an absence the school could not explain. */
  'unexplained-absence',
  /** Education: a suspension or a permanent exclusion (`facts.exclusion`). */
  'suspension-or-exclusion',
  /** Education: a child missing education (not on a school roll, not receiving suitable education). */
  'child-missing-education',
  /** Health: an unscheduled care attendance (FHIR R4 Encounter of class emergency). */
  'unscheduled-care',
  /** Health: a child protection or looked-after flag as CP-IS shares it (FHIR R4 Flag; `facts.protectionFlag`). */
  'protection-flag',
  /** LA adults: a safeguarding concern received (Care Act 2014 s42). */
  'safeguarding-concern',
  /** LA adults: the decision on a concern, enquiry or not, and which (`facts.safeguardingEnquiry`). */
  'safeguarding-enquiry-decision',
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

export const PLAN_KINDS = ['child-protection', 'child-in-need', 'adult-safeguarding'] as const;
export type PlanKind = (typeof PLAN_KINDS)[number];

export const BRAG_RATINGS = ['red', 'amber', 'green', 'blue'] as const;
/** A police protection notice's rating: blue, green, amber, red (red the highest concern). */
export type BragRating = (typeof BRAG_RATINGS)[number];

export const CONTACT_OUTCOMES = [
  'no-further-action',
  'information-and-advice',
  'early-help',
  'referral',
] as const;
export type ContactOutcome = (typeof CONTACT_OUTCOMES)[number];

/** What a plan event says about the plan (LA children's plans; LA adults' safeguarding plans). */
export interface PlanFacts {
  /** The agency's own reference for the plan; stable across its events. */
  readonly ref: string;
  readonly kind: PlanKind;
  /** How often the plan says the subject must be visited, in calendar days (plan-started). */
  readonly visitFrequencyDays?: number;
}

/** What a plan-action event says about the action, as it stands after the event. */
export interface PlanActionFacts {
  readonly planRef: string;
  /** The agency's own reference for the action; stable across its events. */
  readonly ref: string;
  readonly status: 'open' | 'done';
  /** Calendar date (YYYY-MM-DD) the action is due by, end of day; null when none is set. */
  readonly dueDate: string | null;
  /** What is to be done; plain words, never a name or identifier. */
  readonly description: string;
  /** The agency type responsible, when the plan says. */
  readonly ownerAgencyType?: string;
}

export const PROTECTION_FLAG_TYPES = [
  'child-protection-plan',
  'unborn-child-protection-plan',
  'looked-after',
] as const;
/** What a CP-IS flag says: a child protection plan (of a child, or of an unborn child), or a looked-after child. */
export type ProtectionFlagType = (typeof PROTECTION_FLAG_TYPES)[number];

export const SAFEGUARDING_ENQUIRY_TYPES = ['section-42', 'other-safeguarding'] as const;
/**
 * Care Act 2014: a statutory enquiry under s42(2) (the adult meets the s42(1) criteria), or another safeguarding
 * enquiry the local authority chose to make (the two kinds the Safeguarding Adults Collection counts).
 */
export type SafeguardingEnquiryType = (typeof SAFEGUARDING_ENQUIRY_TYPES)[number];

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
  /** contact-outcome: what the front door decided. */
  readonly contactOutcome?: ContactOutcome;
  /** strategy-discussion: whether a s47 enquiry was started. */
  readonly s47Started?: boolean;
  /** child-protection-conference: initial or review, and whether the child is (still) to have a plan. */
  readonly conference?: { readonly type: 'initial' | 'review'; readonly planDecided: boolean };
  /** plan-started, plan-ended, and core-group or visit events that name their plan. */
  readonly plan?: PlanFacts;
  /** plan-action. */
  readonly planAction?: PlanActionFacts;
  /** visit: seen, or no access (nobody answered, or the subject was not seen). */
  readonly visit?: { readonly outcome: 'seen' | 'no-access' };
  /** missing-episode. */
  readonly missingEpisode?: { readonly ref: string; readonly status: 'missing' | 'returned' };
  /** attendance-below-threshold: the attendance percentage over the period (dates YYYY-MM-DD). */
  readonly attendance?: {
    readonly percentage: number;
    readonly periodStart: string;
    readonly periodEnd: string;
  };
  /** suspension-or-exclusion. */
  readonly exclusion?: { readonly type: 'suspension' | 'permanent-exclusion'; readonly days?: number };
  /** appointment-not-attended: a child not brought, or a patient who did not attend. */
  readonly appointment?: { readonly attendance: 'was-not-brought' | 'did-not-attend' };
  /** risk-assessment (DASH): questions ticked yes, 0 to 27. */
  readonly dashScore?: number;
  /** protection-notice: the notice's BRAG rating. */
  readonly bragRating?: BragRating;
  /** protection-flag: which flag, and whether it is active (set) or inactive (ended). */
  readonly protectionFlag?: { readonly type: ProtectionFlagType; readonly active: boolean };
  /**
   * safeguarding-enquiry-decision: whether the concern goes to an enquiry, and which. A decision of no enquiry also
   * carries `referralOutcome: 'no-further-action'` (a concern not progressed to enquiry).
   */
  readonly safeguardingEnquiry?: {
    readonly decision: 'enquiry' | 'no-enquiry';
    readonly type?: SafeguardingEnquiryType;
  };
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
  /**
   * Other identifiers the agency's record holds for the same person (an LA record usually holds the NHS number).
   * The cases service links them to the subject; identifiers that point to two different subjects hold the change
   * for a MASH officer (IDENTIFIER_CONFLICT) instead of merging.
   */
  readonly otherIdentifiers?: readonly SubjectIdentifier[];
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

/**
 * The child protection process the local authority runs (Working Together 2023): the current s47 enquiry and the
 * conferences and core groups that follow it. Times are event times (ISO instants); ids are the status changes
 * that reported them, so an escalation can carry them as evidence.
 */
export interface ChildProtectionSnapshot {
  /** The agency running the process (the local authority). */
  readonly agencyId: string;
  /** The latest strategy discussion that started a s47 enquiry; a later one starts a new enquiry. */
  readonly enquiryStartedAt: string | null;
  readonly enquiryStatusChangeId: string | null;
  /** The initial conference held since the enquiry started; null while none has been held. */
  readonly initialConferenceAt: string | null;
  readonly initialConferenceStatusChangeId: string | null;
  /** The latest conference's decision that the child is to have (or keep) a child protection plan. */
  readonly planDecided: boolean;
  /** The first and latest core groups held since the initial conference. */
  readonly firstCoreGroupAt: string | null;
  readonly lastCoreGroupAt: string | null;
  readonly lastCoreGroupStatusChangeId: string | null;
  /** The latest review conference since the initial conference. */
  readonly lastReviewConferenceAt: string | null;
  readonly lastReviewConferenceStatusChangeId: string | null;
}

/** One plan action as it stands. */
export interface PlanActionSnapshot {
  readonly ref: string;
  readonly description: string;
  readonly status: 'open' | 'done';
  readonly dueDate: string | null;
  /** The status change that last reported the action. */
  readonly statusChangeId: string;
}

/** One plan on the case, with its actions and visits. */
export interface PlanSnapshot {
  readonly ref: string;
  readonly agencyId: string;
  readonly kind: PlanKind;
  readonly startedAt: string;
  readonly startedStatusChangeId: string;
  readonly endedAt: string | null;
  readonly visitFrequencyDays: number | null;
  /** The latest visit in which the subject was seen. */
  readonly lastSeenVisitAt: string | null;
  readonly lastSeenVisitStatusChangeId: string | null;
  readonly actions: readonly PlanActionSnapshot[];
}

/**
 * A status change the disengagement and increasing-risk grounds read: the signal kinds
 * (`SIGNAL_STATUS_CHANGE_KINDS`), with the facts that carry their values (attendance percentage, DASH score,
 * rating). The snapshot carries those of the last `SIGNAL_HORIZON_DAYS` days, newest first, at most
 * `SIGNAL_LIMIT` of them; thresholds are applied by the rules from the partnership's policy.
 */
export interface CaseSignalSnapshot {
  readonly statusChangeId: string;
  readonly agencyId: string;
  readonly family: AgencyFamily;
  readonly kind: StatusChangeKind;
  readonly occurredAt: string;
  readonly facts: StatusFacts;
}

export const SIGNAL_STATUS_CHANGE_KINDS: readonly StatusChangeKind[] = [
  'appointment-not-attended',
  'visit',
  'attendance-below-threshold',
  'unexplained-absence',
  'missing-episode',
  'risk-assessment',
  'marac-referral',
  'protection-notice',
  'child-missing-education',
  'suspension-or-exclusion',
];
export const SIGNAL_HORIZON_DAYS = 400;
export const SIGNAL_LIMIT = 50;

export interface CaseSnapshot {
  readonly id: string;
  readonly partnershipId: string;
  readonly subjectId: string;
  readonly status: 'open' | 'closed';
  readonly involvements: readonly { readonly agencyId: string; readonly open: boolean }[];
  readonly positions: readonly AgencyPositionSnapshot[];
  /** The child protection process, when the local authority has reported one; absent from older producers. */
  readonly childProtection?: ChildProtectionSnapshot | null;
  /** Plans reported on the case, open and ended, oldest first; absent from older producers. */
  readonly plans?: readonly PlanSnapshot[];
  /** Recent signal status changes, newest first; absent from older producers. */
  readonly signals?: readonly CaseSignalSnapshot[];
}

/** Topic `mash.case-events.v1`: a status change matched to its case, with the case as it stands after it. */
export interface CaseEventMessage {
  readonly statusChange: StatusChangeMessage;
  readonly case: CaseSnapshot;
  /**
   * The status change's place in the order the cases service applied changes: a later change to the same case has
   * a greater one (numbers are shared by all cases, so one case's are not consecutive). A consumer keeps the
   * greatest it has applied for each case and passes over any event at or below it: a redelivery, or an older
   * event arriving after a newer one. Absent from events written before it was added.
   */
  readonly sequence?: number;
}

export const ESCALATION_EVENT_TYPES = [
  'raised',
  'evidence-added',
  'acknowledged',
  /** A discussion or meeting was recorded (who took part, from which agencies, when, what was agreed). */
  'meeting-recorded',
  /** Moved to the next stage: by a person with a rationale, or by the clock (`cause`). */
  'stage-advanced',
  /** The last stage's deadline passed: flagged to the partnership chair, not advanced. */
  'stage-lapsed',
  /** The partnership chair convened a resolution panel (stage 4). */
  'panel-convened',
  /** The resolution panel's decision was recorded. */
  'panel-decided',
  'resolved',
  /** Closed as redirected to another route (whistleblowing, LADO, conference chair). */
  'redirected',
  /** Learning and a debrief were captured (after resolution). */
  'learning-recorded',
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
  /**
   * The escalation's parties and people, so a consumer can tell who must know without calling back (absent from
   * events written before they were carried).
   */
  readonly ground?: string;
  readonly raisingAgencyId?: string;
  readonly receivingAgencyId?: string;
  readonly immediateRisk?: boolean;
  readonly autoRaised?: boolean;
  /** The person who raised it (their subject); null when the platform raised it automatically. */
  readonly raisedBy?: string | null;
  /** Who made this change: a person's subject, or `system`. */
  readonly actor?: string;
  /** The roles that own the escalation's stage after this change. */
  readonly stageOwnerRoles?: readonly string[];
  /** For `stage-advanced`: moved by a person, or by the stage's deadline passing. */
  readonly cause?: 'person' | 'deadline';
}

/** Why a person is told about an escalation change. */
export const NOTIFICATION_REASONS = [
  /** They raised the escalation: every recorded decision is shared with the raiser. */
  'raiser',
  /** They own the escalation's (new) stage in one of the agencies. */
  'stage-owner',
  /** Immediate risk: the partnership's MASH officers and both agencies' safeguarding leads are told at once. */
  'immediate-risk',
  /** The last stage lapsed or a panel is due: the partnership chair. */
  'partnership-chair',
] as const;
export type NotificationReason = (typeof NOTIFICATION_REASONS)[number];

/**
 * Topic `mash.notifications.v1`, keyed by recipient: one person told about one escalation change. The hand-off to
 * email and SMS delivery (out of scope); `id` is deterministic from (escalation event, recipient), so a consumer can
 * drop the duplicates an at-least-once relay may deliver. Holds no personal data about the subject: the escalation
 * is named by id, and the words say what changed.
 */
export interface NotificationMessage {
  readonly id: string;
  /** The contact told. */
  readonly recipientId: string;
  readonly partnershipId: string;
  readonly escalationId: string;
  /** The escalation event that caused it. */
  readonly eventId: string;
  readonly eventType: EscalationEventType;
  readonly reason: NotificationReason;
  readonly stage: number;
  /** Plain words: what changed and what is asked of the person. */
  readonly message: string;
  readonly immediateRisk: boolean;
  readonly at: string;
}
