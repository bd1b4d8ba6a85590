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

export const ESCALATION_STATUSES = ['AWAITING_ACKNOWLEDGEMENT', 'IN_DISCUSSION', 'RESOLVED'] as const;
export type EscalationStatus = (typeof ESCALATION_STATUSES)[number];

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
  readonly resolvedAt: Date | null;
  readonly outcome: string | null;
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
