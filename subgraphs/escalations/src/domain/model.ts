import type { Role } from '@mash/schema';

/** Grounds for escalation (docs/DOMAIN.md#grounds). Stored and keyed in this kebab-case form. */
export const ESCALATION_GROUNDS = [
  'threshold-disagreement',
  'stalled-plan',
  'disengagement',
  'increasing-risk',
  'procedures-not-followed',
  'referral-not-progressed',
  'information-not-shared',
  'quality-of-work',
  'actions-not-completed',
] as const;
export type EscalationGround = (typeof ESCALATION_GROUNDS)[number];

/**
 * AWAITING_ACKNOWLEDGEMENT → IN_DISCUSSION at each stage; closed as RESOLVED (an agreed outcome) or REDIRECTED (to
 * another route: whistleblowing, the LADO, the conference chair).
 */
export const ESCALATION_STATUSES = [
  'AWAITING_ACKNOWLEDGEMENT',
  'IN_DISCUSSION',
  'RESOLVED',
  'REDIRECTED',
] as const;
export type EscalationStatus = (typeof ESCALATION_STATUSES)[number];

/** The statuses that end an escalation: nothing moves it any more; learning may still be recorded. */
export const CLOSED_STATUSES = ['RESOLVED', 'REDIRECTED'] as const satisfies readonly EscalationStatus[];
export type ClosedStatus = (typeof CLOSED_STATUSES)[number];

export function isClosed(status: EscalationStatus): status is ClosedStatus {
  return (CLOSED_STATUSES as readonly EscalationStatus[]).includes(status);
}

/** How an escalation ended (docs/DOMAIN.md#recording): the agreed outcome confirmed in writing. */
export const ESCALATION_OUTCOMES = [
  'AGREED_ACTION_PLAN',
  'DECISION_UPHELD',
  'DECISION_CHANGED',
  'WITHDRAWN',
] as const;
export type EscalationOutcome = (typeof ESCALATION_OUTCOMES)[number];

/**
 * Other routes (docs/DOMAIN.md#other-routes): a disagreement with one's own manager goes to the agency's
 * whistleblowing policy, a concern about a professional's conduct to the LADO, a dispute about a child protection
 * conference decision to the conference chair (then complaints).
 */
export const REDIRECT_ROUTES = ['WHISTLEBLOWING', 'LADO', 'CONFERENCE_CHAIR'] as const;
export type RedirectRoute = (typeof REDIRECT_ROUTES)[number];

/** The actor recorded for moves the platform makes by itself (auto-raise, deadline moves). */
export const SYSTEM_ACTOR = 'system';

/** One instance of the resolution-of-professional-disagreement process, as the state machine sees it. */
export interface EscalationState {
  readonly id: string;
  readonly caseId: string;
  readonly partnershipId: string;
  readonly ground: EscalationGround;
  readonly raisingAgencyId: string;
  readonly receivingAgencyId: string;
  readonly stage: number;
  readonly status: EscalationStatus;
  readonly stageStartedAt: Date;
  /** When the current stage moves up by itself; null when the stage has no timescale (the last stage). */
  readonly stageDeadline: Date | null;
  readonly stageOwnerRoles: readonly Role[];
  readonly autoRaised: boolean;
  readonly immediateRisk: boolean;
  readonly raisedAt: Date;
  /** The person who raised it (their token subject); null when the platform raised it automatically. */
  readonly raisedBy: string | null;
  /** When it was closed (resolved or redirected); null while open. */
  readonly resolvedAt: Date | null;
  /** The agreed outcome; null while open, when redirected, and for escalations resolved before outcomes were coded. */
  readonly outcome: EscalationOutcome | null;
  /** How outstanding issues will be pursued, confirmed with the outcome. */
  readonly outstandingIssues: string | null;
  /** Where a redirected escalation went; null unless REDIRECTED. */
  readonly redirectRoute: RedirectRoute | null;
  /** Status change ids that support the escalation. */
  readonly evidence: readonly string[];
}

/** One append-only history entry: a move between stages and/or statuses, who made it and why. */
export interface EscalationTransition {
  readonly at: Date;
  readonly fromStage: number | null;
  readonly toStage: number;
  readonly fromStatus: EscalationStatus | null;
  readonly toStatus: EscalationStatus;
  readonly actor: string;
  readonly rationale: string;
}

/** One person who took part in a discussion, meeting or panel: a contact of the directory and their agency. */
export interface Participant {
  readonly contactId: string;
  readonly agencyId: string;
}

/** A discussion or meeting recorded on an escalation (append-only). */
export interface EscalationMeeting {
  /** The stage the escalation was at when the meeting was held. */
  readonly stage: number;
  readonly heldAt: Date;
  readonly recordedAt: Date;
  readonly recordedBy: string;
  readonly participants: readonly Participant[];
  readonly agreed: string;
}

/** Learning captured after an escalation closed, and the debrief if one followed (append-only). */
export interface EscalationLearning {
  readonly recordedAt: Date;
  readonly recordedBy: string;
  readonly learning: string;
  readonly debrief: string | null;
}

/** A resolution panel the partnership chair convened at the last stage, and its decision once recorded. */
export interface ResolutionPanel {
  readonly convenedAt: Date;
  readonly convenedBy: string;
  readonly members: readonly Participant[];
  readonly decision: PanelDecision | null;
}

export interface PanelDecision {
  readonly decidedAt: Date;
  readonly decidedBy: string;
  readonly decision: EscalationOutcome;
  readonly rationale: string;
}

/** The result of a move: the new state and the history entry that records it. */
export interface Moved {
  readonly escalation: EscalationState;
  readonly transition: EscalationTransition;
}

/** Time, injected so that tests can move it. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/**
 * What a person raising an escalation at immediate risk is reminded of (docs/DOMAIN.md#immediate-risk): the
 * platform prompts emergency action and never stands in for it.
 */
export const IMMEDIATE_RISK_REMINDER =
  'Immediate risk: take emergency action first. If a child or adult is in immediate danger, call the police on ' +
  "999, and refer to children's social care (or adult social care) at once by telephone. This escalation records " +
  'the disagreement and tells the people who must know; it does not replace emergency action.';
