import type { EscalationPolicy, PolicyStage, Timescale } from '@mash/schema';
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
 *
 * A stage's deadline counts from its own start, unless the policy anchors it on an earlier stage's event
 * (`anchor`: MK Together's heads of service meet no later than 10 days after the first professionals' meeting,
 * seed 004). The anchor is read from the escalation's stage history (`StageHistory`): when each stage started and
 * its first meeting, if one is recorded; a `first-meeting` anchor falls back to that stage's start while none is.
 * When the anchored deadline has already passed by the time the stage starts, the stage is not skipped: it gets
 * its timescale from its own start, and the history's rationale says that the anchored deadline had passed.
 * Immediate-risk timescales always count from the stage's own start.
 */

/** One stage an escalation has been at: when it started, and its first meeting if one is recorded. */
export interface StageRecord {
  readonly stage: number;
  readonly startedAt: Date;
  /** The first discussion or meeting recorded at that stage; null while none is. */
  readonly firstMeetingAt: Date | null;
}

/**
 * The stages an escalation has been through, one record per stage (the first time it started). The stage
 * deadline timer reads it from the escalation's transitions; meetings join it once they are recorded.
 */
export type StageHistory = readonly StageRecord[];

/** A stage's deadline and, when it did not simply count from the stage's start, how it was reached. */
export interface StageClock {
  readonly deadline: Date | null;
  /** For the history's rationale; empty when the deadline counts from the stage's own start. */
  readonly explanation: string;
}

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
    stageDeadline: stageClock(stage, input.at, immediateRisk, calendar).deadline,
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
 * with a new deadline from that stage's timescale, counted from its anchor when it has one (`history` supplies
 * the anchored stage's start and first meeting; the current stage is taken from the escalation when missing).
 * At the last stage nothing moves (null).
 */
export function advanceOnDeadline(
  escalation: EscalationState,
  at: Date,
  policy: EscalationPolicy,
  calendar: WorkingDayCalendar,
  history: StageHistory = [],
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
  const known = history.some((r) => r.stage === escalation.stage)
    ? history
    : [...history, { stage: escalation.stage, startedAt: escalation.stageStartedAt, firstMeetingAt: null }];
  const clock = stageClock(next, at, escalation.immediateRisk, calendar, known);
  return move(
    escalation,
    {
      stage: next.stage,
      status: 'AWAITING_ACKNOWLEDGEMENT',
      stageStartedAt: at,
      stageDeadline: clock.deadline,
      stageOwnerRoles: [...next.ownerRoles],
    },
    {
      at,
      actor: SYSTEM_ACTOR,
      rationale:
        `The stage ${escalation.stage}${current ? ` (${current.name})` : ''} deadline of ${deadline.toISOString()} ` +
        `passed without resolution; moved to stage ${next.stage} (${next.name}).` +
        (clock.explanation ? ` ${clock.explanation}` : ''),
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
  history: StageHistory = [],
): Date | null {
  return stageClock(stage, start, immediateRisk, calendar, history).deadline;
}

/**
 * A stage's deadline, entered at `start`. Immediate risk runs on the stage's immediate-risk timescale from its
 * start (else on its ordinary one). The ordinary timescale counts from the stage's anchor when it has one:
 * `stage-start` is when the anchored stage began, `first-meeting` its first meeting, or its start while none is
 * recorded. A stage whose anchored stage is not in the history (it was never passed through), or whose anchored
 * deadline is not after `start`, counts from its own start instead, and the explanation says why.
 */
export function stageClock(
  stage: PolicyStage,
  start: Date,
  immediateRisk: boolean,
  calendar: WorkingDayCalendar,
  history: StageHistory = [],
): StageClock {
  const urgent = immediateRisk ? stage.immediateRiskTimescale : null;
  if (urgent) return { deadline: addTimescale(start, urgent, calendar), explanation: '' };
  const timescale = stage.timescale;
  if (!timescale) return { deadline: null, explanation: '' };
  const own = addTimescale(start, timescale, calendar);
  const anchor = stage.anchor;
  if (!anchor) return { deadline: own, explanation: '' };
  const record = history.find((r) => r.stage === anchor.stage);
  if (!record) {
    return {
      deadline: own,
      explanation:
        `Its deadline counts from stage ${anchor.stage}'s ` +
        `${anchor.event === 'first-meeting' ? 'first meeting' : 'start'}, but the escalation did not pass through ` +
        `stage ${anchor.stage}, so it runs ${inWords(timescale)} from its own start: ${own.toISOString()}.`,
    };
  }
  const meeting = anchor.event === 'first-meeting' ? record.firstMeetingAt : null;
  const from = meeting ?? record.startedAt;
  const lead =
    anchor.event === 'first-meeting' && !meeting
      ? `No meeting is recorded at stage ${anchor.stage}, so its start stands in for its first meeting. `
      : '';
  const fromWhat = `the ${meeting ? 'first meeting at' : 'start of'} stage ${anchor.stage} (${from.toISOString()})`;
  const anchored = addTimescale(from, timescale, calendar);
  if (anchored > start) {
    return {
      deadline: anchored,
      explanation: `${lead}Its deadline is ${inWords(timescale)} from ${fromWhat}: ${anchored.toISOString()}.`,
    };
  }
  return {
    deadline: own,
    explanation:
      `${lead}Its deadline of ${inWords(timescale)} from ${fromWhat}, ${anchored.toISOString()}, had already ` +
      `passed when this stage started, so it runs ${inWords(timescale)} from its own start: ${own.toISOString()}.`,
  };
}

/** `10 calendar days`, `48 hours`, `1 working day`. */
function inWords(t: Timescale): string {
  const unit = t.amount === 1 ? t.unit.replace(/s$/, '') : t.unit;
  return `${t.amount} ${unit.replace('-', ' ')}`;
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
