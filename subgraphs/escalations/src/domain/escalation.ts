import type { EscalationPolicy, PolicyStage } from '@mash/schema';
import { addTimescale, type WorkingDayCalendar } from './calendar';
import { EscalationTransitionError } from './errors';
import {
  SYSTEM_ACTOR,
  type EscalationGround,
  type EscalationState,
  type EscalationTransition,
  type Moved,
} from './model';

/**
 * The escalation state machine (docs/DOMAIN.md#the-escalation-process):
 * AWAITING_ACKNOWLEDGEMENT → IN_DISCUSSION (the receiving agency acknowledged) → RESOLVED, through stages 1..n
 * of the partnership's policy. A stage whose deadline passes moves up by itself and waits for the next stage's
 * owners to acknowledge again. Every move returns the history entry that records it.
 */

export interface RaiseInput {
  readonly id: string;
  readonly caseId: string;
  readonly partnershipId: string;
  readonly ground: EscalationGround;
  readonly raisingAgencyId: string;
  readonly receivingAgencyId: string;
  readonly evidence: readonly string[];
  readonly at: Date;
  /** Why: for an automatic raise, the rule's finding. */
  readonly reason: string;
  /** Who raised it; the platform (`system`) for automatic triggers. */
  readonly actor?: string;
  /** Immediate risk: stage timescales switch to the policy's immediate-risk ones. */
  readonly immediateRisk?: boolean;
}

/** Raises an escalation automatically: stage 1, awaiting acknowledgement, deadline from stage 1's timescale. */
export function raise(input: RaiseInput, policy: EscalationPolicy, calendar: WorkingDayCalendar): Moved {
  const stage = policyStage(policy, 1);
  const immediateRisk = input.immediateRisk ?? false;
  const escalation: EscalationState = {
    id: input.id,
    caseId: input.caseId,
    partnershipId: input.partnershipId,
    ground: input.ground,
    raisingAgencyId: input.raisingAgencyId,
    receivingAgencyId: input.receivingAgencyId,
    stage: stage.stage,
    status: 'AWAITING_ACKNOWLEDGEMENT',
    stageStartedAt: input.at,
    stageDeadline: stageDeadline(stage, input.at, immediateRisk, calendar),
    stageOwnerRoles: [...stage.ownerRoles],
    autoRaised: true,
    immediateRisk,
    raisedAt: input.at,
    resolvedAt: null,
    outcome: null,
    evidence: [...new Set(input.evidence)],
  };
  return {
    escalation,
    transition: {
      at: input.at,
      fromStage: null,
      toStage: escalation.stage,
      fromStatus: null,
      toStatus: escalation.status,
      actor: input.actor ?? SYSTEM_ACTOR,
      rationale: `Raised automatically: ${input.reason}`,
    },
  };
}

/** Joins new evidence to an open escalation; `added` lists the status change ids it did not hold yet. */
export function addEvidence(
  escalation: EscalationState,
  statusChangeIds: readonly string[],
): { escalation: EscalationState; added: string[] } {
  assertOpen(escalation, 'add evidence to');
  const held = new Set(escalation.evidence);
  const added = [...new Set(statusChangeIds)].filter((id) => !held.has(id));
  return { escalation: { ...escalation, evidence: [...escalation.evidence, ...added] }, added };
}

export interface ActorInput {
  readonly at: Date;
  readonly actor: string;
  readonly rationale: string;
}

/** The receiving agency takes the escalation up at its current stage. */
export function acknowledge(escalation: EscalationState, input: ActorInput): Moved {
  if (escalation.status !== 'AWAITING_ACKNOWLEDGEMENT') {
    throw new EscalationTransitionError(
      `Escalation ${escalation.id} cannot be acknowledged: it is ${describeStatus(escalation)}.`,
    );
  }
  return move(escalation, { status: 'IN_DISCUSSION' }, input);
}

/**
 * The current stage's deadline passed unresolved: move to the next stage (awaiting its owners' acknowledgement)
 * with a new deadline from that stage's timescale. At the last stage nothing moves (null).
 */
export function advanceOnDeadline(
  escalation: EscalationState,
  at: Date,
  policy: EscalationPolicy,
  calendar: WorkingDayCalendar,
): Moved | null {
  assertOpen(escalation, 'move up');
  const deadline = escalation.stageDeadline;
  if (deadline === null || at < deadline) {
    throw new EscalationTransitionError(
      `Escalation ${escalation.id} cannot move up at ${at.toISOString()}: its stage ${escalation.stage} deadline ` +
        `${deadline ? `is ${deadline.toISOString()}` : 'is not set'}.`,
    );
  }
  const next = policy.stages.find((s) => s.stage === escalation.stage + 1);
  if (!next) return null;
  const current = policy.stages.find((s) => s.stage === escalation.stage);
  return move(
    escalation,
    {
      stage: next.stage,
      status: 'AWAITING_ACKNOWLEDGEMENT',
      stageStartedAt: at,
      stageDeadline: stageDeadline(next, at, escalation.immediateRisk, calendar),
      stageOwnerRoles: [...next.ownerRoles],
    },
    {
      at,
      actor: SYSTEM_ACTOR,
      rationale:
        `The stage ${escalation.stage}${current ? ` (${current.name})` : ''} deadline of ${deadline.toISOString()} ` +
        `passed without resolution; moved to stage ${next.stage} (${next.name}).`,
    },
  );
}

/** Records the agreed outcome and closes the escalation. */
export function resolve(
  escalation: EscalationState,
  input: ActorInput & { readonly outcome: string },
): Moved {
  assertOpen(escalation, 'resolve');
  return move(
    escalation,
    { status: 'RESOLVED', resolvedAt: input.at, outcome: input.outcome, stageDeadline: null },
    input,
  );
}

/** The policy's stage with this number; a policy without it cannot run the process. */
export function policyStage(policy: EscalationPolicy, stage: number): PolicyStage {
  const found = policy.stages.find((s) => s.stage === stage);
  if (!found) throw new EscalationTransitionError(`The escalation policy has no stage ${stage}.`);
  return found;
}

/** When a stage entered at `start` moves up by itself; null when the stage has no timescale. */
export function stageDeadline(
  stage: PolicyStage,
  start: Date,
  immediateRisk: boolean,
  calendar: WorkingDayCalendar,
): Date | null {
  const timescale = (immediateRisk ? stage.immediateRiskTimescale : null) ?? stage.timescale;
  return timescale ? addTimescale(start, timescale, calendar) : null;
}

function move(escalation: EscalationState, changes: Partial<EscalationState>, input: ActorInput): Moved {
  const next: EscalationState = { ...escalation, ...changes };
  const transition: EscalationTransition = {
    at: input.at,
    fromStage: escalation.stage,
    toStage: next.stage,
    fromStatus: escalation.status,
    toStatus: next.status,
    actor: input.actor,
    rationale: input.rationale,
  };
  return { escalation: next, transition };
}

function assertOpen(escalation: EscalationState, what: string): void {
  if (escalation.status === 'RESOLVED') {
    throw new EscalationTransitionError(
      `Escalation ${escalation.id} cannot ${what}: it is already resolved.`,
    );
  }
}

function describeStatus(escalation: EscalationState): string {
  return escalation.status === 'RESOLVED' ? 'already resolved' : 'already acknowledged';
}
