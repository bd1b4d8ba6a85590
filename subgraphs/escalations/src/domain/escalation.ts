import type { EscalationPolicy, PolicyStage, Timescale } from '@mash/schema';
import { addTimescale, type WorkingDayCalendar } from './calendar';
import { EscalationInputError, EscalationTransitionError } from './errors';
import {
  isClosed,
  SYSTEM_ACTOR,
  type EscalationGround,
  type EscalationOutcome,
  type EscalationState,
  type EscalationTransition,
  type Moved,
  type RedirectRoute,
} from './model';

/**
 * The escalation state machine (docs/DOMAIN.md#the-escalation-process):
 * AWAITING_ACKNOWLEDGEMENT → IN_DISCUSSION (the receiving agency acknowledged) → RESOLVED or REDIRECTED, through
 * stages 1..n of the partnership's policy. Raised automatically at stage 1, or by a person (at immediate risk, at
 * the stage they choose). A stage moves up when a person advances it with a rationale, or by itself when its
 * deadline passes, and waits for the next stage's owners to acknowledge again; the last stage's deadline lapsing is
 * flagged to the partnership chair, who may convene a resolution panel whose decision resolves it. Every move
 * returns the history entry that records it; meetings, learning and panels are records of their own. A refused
 * move throws `EscalationTransitionError` (the state does not allow it) or `EscalationInputError` (an argument is
 * wrong whatever the state), and changes nothing.
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
  const escalation = opened(input, policyStage(policy, 1), input.immediateRisk ?? false, null, calendar);
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

/** A person raising an escalation by hand (`raiseEscalation`). */
export interface PersonRaiseInput {
  readonly id: string;
  readonly caseId: string;
  readonly partnershipId: string;
  readonly ground: EscalationGround;
  /** The raiser's own agency. */
  readonly raisingAgencyId: string;
  readonly receivingAgencyId: string;
  readonly at: Date;
  /** Why, in the raiser's words: required. */
  readonly reason: string;
  /** The raiser's token subject. */
  readonly raisedBy: string;
  /** Immediate risk: the raiser may start at any stage, and stage timescales run on the immediate-risk ones. */
  readonly immediateRisk: boolean;
  /** The stage to start at (1 unless immediate risk). */
  readonly startStage?: number;
}

/**
 * A person raises an escalation: at stage 1, or, at immediate risk, at the stage they choose (seed 001: the
 * professional uses discretion as to which stage to start at), with that stage's immediate-risk timescale.
 * Awaiting the receiving agency's acknowledgement either way. The history records the raiser and their reason.
 */
export function raiseByPerson(
  input: PersonRaiseInput,
  policy: EscalationPolicy,
  calendar: WorkingDayCalendar,
): Moved {
  const reason = required(input.reason, 'reason');
  if (input.raisingAgencyId === input.receivingAgencyId) {
    throw new EscalationInputError(
      'An escalation is raised with another agency: the receiving agency must not be your own.',
      'receivingAgencyId',
    );
  }
  const startStage = input.startStage ?? 1;
  if (!input.immediateRisk && startStage !== 1) {
    throw new EscalationInputError(
      'Only an escalation at immediate risk may start above stage 1; without immediate risk it starts at stage 1.',
      'startStage',
    );
  }
  const last = lastStage(policy);
  if (!Number.isInteger(startStage) || startStage < 1 || startStage > last) {
    throw new EscalationInputError(
      `The partnership's policy has stages 1 to ${last}; there is no stage ${startStage} to start at.`,
      'startStage',
    );
  }
  const stage = policyStage(policy, startStage);
  const escalation = opened(input, stage, input.immediateRisk, input.raisedBy, calendar);
  return {
    escalation,
    transition: {
      at: input.at,
      fromStage: null,
      toStage: escalation.stage,
      fromStatus: null,
      toStatus: escalation.status,
      actor: input.raisedBy,
      rationale: input.immediateRisk
        ? `Immediate risk: started at stage ${stage.stage} (${stage.name}). ${reason}`
        : reason,
    },
  };
}

function opened(
  input: Omit<RaiseInput, 'reason' | 'actor' | 'immediateRisk' | 'evidence'> & {
    readonly evidence?: readonly string[];
  },
  stage: PolicyStage,
  immediateRisk: boolean,
  raisedBy: string | null,
  calendar: WorkingDayCalendar,
): EscalationState {
  return {
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
    autoRaised: raisedBy === null,
    immediateRisk,
    raisedAt: input.at,
    raisedBy,
    resolvedAt: null,
    outcome: null,
    outstandingIssues: null,
    redirectRoute: null,
    evidence: [...new Set(input.evidence ?? [])],
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
  /** Why: required wherever a decision is recorded (docs/DOMAIN.md#recording). */
  readonly rationale: string;
}

/** The receiving agency takes the escalation up at its current stage. */
export function acknowledge(escalation: EscalationState, input: ActorInput): Moved {
  const rationale = required(input.rationale, 'rationale');
  if (escalation.status !== 'AWAITING_ACKNOWLEDGEMENT') {
    throw new EscalationTransitionError(
      `Escalation ${escalation.id} cannot be acknowledged: it is ${describeStatus(escalation)}.`,
    );
  }
  return move(escalation, { status: 'IN_DISCUSSION' }, { ...input, rationale });
}

/**
 * The current stage's deadline passed unresolved: move to the next stage (awaiting its owners' acknowledgement)
 * with a new deadline from that stage's timescale, counted from its anchor when it has one (`history` supplies
 * the anchored stage's start and first meeting; the current stage is taken from the escalation when missing).
 * At the last stage nothing moves (null): `lapseOnDeadline` flags it to the partnership chair instead.
 */
export function advanceOnDeadline(
  escalation: EscalationState,
  at: Date,
  policy: EscalationPolicy,
  calendar: WorkingDayCalendar,
  history: StageHistory = [],
): Moved | null {
  assertOpen(escalation, 'move up');
  const deadline = passedDeadline(escalation, at);
  const next = policy.stages.find((s) => s.stage === escalation.stage + 1);
  if (!next) return null;
  const current = policy.stages.find((s) => s.stage === escalation.stage);
  return moveUp(escalation, next, at, calendar, history, {
    at,
    actor: SYSTEM_ACTOR,
    rationale:
      `The stage ${escalation.stage}${current ? ` (${current.name})` : ''} deadline of ${deadline.toISOString()} ` +
      `passed without resolution; moved to stage ${next.stage} (${next.name}).`,
  });
}

/**
 * The last stage's deadline passed unresolved: nothing moves (there is no stage above the partnership), and the
 * history records that the lapse was flagged to the partnership chair. Same stage, same status.
 */
export function lapseOnDeadline(escalation: EscalationState, at: Date, policy: EscalationPolicy): Moved {
  assertOpen(escalation, 'lapse');
  const deadline = passedDeadline(escalation, at);
  if (policy.stages.some((s) => s.stage === escalation.stage + 1)) {
    throw new EscalationTransitionError(
      `Escalation ${escalation.id} is not at the last stage: its stage ${escalation.stage} deadline moves it up.`,
    );
  }
  const current = policy.stages.find((s) => s.stage === escalation.stage);
  return move(
    escalation,
    {},
    {
      at,
      actor: SYSTEM_ACTOR,
      rationale:
        `The stage ${escalation.stage}${current ? ` (${current.name})` : ''} deadline of ${deadline.toISOString()} ` +
        'passed without resolution. It is the last stage, so nothing moves by itself: flagged to the partnership ' +
        'chair.',
    },
  );
}

/**
 * A person moves the escalation to the next stage before its deadline, with a rationale: awaiting the next stage's
 * owners, with that stage's deadline (anchored as the clock would anchor it). The last stage has no next one: the
 * partnership chair may convene a resolution panel there instead.
 */
export function advance(
  escalation: EscalationState,
  input: ActorInput,
  policy: EscalationPolicy,
  calendar: WorkingDayCalendar,
  history: StageHistory = [],
): Moved {
  const rationale = required(input.rationale, 'rationale');
  assertOpen(escalation, 'move up');
  const next = policy.stages.find((s) => s.stage === escalation.stage + 1);
  if (!next) {
    throw new EscalationTransitionError(
      `Escalation ${escalation.id} is at the last stage (${escalation.stage}) and cannot move up: the partnership ` +
        'chair may convene a resolution panel.',
    );
  }
  return moveUp(escalation, next, input.at, calendar, history, { ...input, rationale });
}

function moveUp(
  escalation: EscalationState,
  next: PolicyStage,
  at: Date,
  calendar: WorkingDayCalendar,
  history: StageHistory,
  input: ActorInput,
): Moved {
  const clock = stageClock(
    next,
    at,
    escalation.immediateRisk,
    calendar,
    withCurrentStage(escalation, history),
  );
  return move(
    escalation,
    {
      stage: next.stage,
      status: 'AWAITING_ACKNOWLEDGEMENT',
      stageStartedAt: at,
      stageDeadline: clock.deadline,
      stageOwnerRoles: [...next.ownerRoles],
    },
    { ...input, rationale: input.rationale + (clock.explanation ? ` ${clock.explanation}` : '') },
  );
}

export interface ResolveInput extends ActorInput {
  readonly outcome: EscalationOutcome;
  /** How outstanding issues will be pursued: required with the outcome (seed 001). */
  readonly outstandingIssues: string;
}

/** Records the agreed outcome, how outstanding issues will be pursued, and closes the escalation. */
export function resolve(escalation: EscalationState, input: ResolveInput): Moved {
  const rationale = required(input.rationale, 'rationale');
  const outstandingIssues = required(input.outstandingIssues, 'outstandingIssues');
  assertOpen(escalation, 'resolve');
  return move(
    escalation,
    {
      status: 'RESOLVED',
      resolvedAt: input.at,
      outcome: input.outcome,
      outstandingIssues,
      stageDeadline: null,
    },
    { ...input, rationale },
  );
}

export const REDIRECT_ROUTE_NAMES: Readonly<Record<RedirectRoute, string>> = {
  WHISTLEBLOWING: "the agency's whistleblowing policy",
  LADO: 'the Local Authority Designated Officer (LADO)',
  CONFERENCE_CHAIR: 'the child protection conference chair',
};

export interface RedirectInput extends ActorInput {
  readonly route: RedirectRoute;
}

/**
 * Not an escalation between agencies after all: recorded and redirected to another route (docs/DOMAIN.md#other-
 * routes), which closes it as REDIRECTED.
 */
export function redirect(escalation: EscalationState, input: RedirectInput): Moved {
  const rationale = required(input.rationale, 'rationale');
  assertOpen(escalation, 'be redirected');
  return move(
    escalation,
    { status: 'REDIRECTED', resolvedAt: input.at, redirectRoute: input.route, stageDeadline: null },
    { ...input, rationale: `Redirected to ${REDIRECT_ROUTE_NAMES[input.route]}: ${rationale}` },
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

/** Refuses a move on a closed (resolved or redirected) escalation. */
export function assertOpen(escalation: EscalationState, what: string): void {
  if (isClosed(escalation.status)) {
    throw new EscalationTransitionError(
      `Escalation ${escalation.id} cannot ${what}: it is ${describeStatus(escalation)}.`,
    );
  }
}

export function describeStatus(escalation: EscalationState): string {
  switch (escalation.status) {
    case 'RESOLVED':
      return 'already resolved';
    case 'REDIRECTED':
      return 'already redirected';
    default:
      return 'already acknowledged';
  }
}

/** The deadline that has passed at `at`; refuses a move before it. */
function passedDeadline(escalation: EscalationState, at: Date): Date {
  const deadline = escalation.stageDeadline;
  if (deadline === null || at < deadline) {
    throw new EscalationTransitionError(
      `Escalation ${escalation.id} cannot move up at ${at.toISOString()}: its stage ${escalation.stage} deadline ` +
        `${deadline ? `is ${deadline.toISOString()}` : 'is not set'}.`,
    );
  }
  return deadline;
}

/** Trimmed text; blank is refused on `field`. */
export function required(value: string, field: string): string {
  const trimmed = value.trim();
  if (!trimmed) throw new EscalationInputError(`${field} must not be blank.`, field);
  return trimmed;
}

/** The stage history with the current stage in it (from the escalation) when the transitions have not shown it. */
export function withCurrentStage(escalation: EscalationState, history: StageHistory): StageHistory {
  return history.some((r) => r.stage === escalation.stage)
    ? history
    : [...history, { stage: escalation.stage, startedAt: escalation.stageStartedAt, firstMeetingAt: null }];
}

/** The number of the policy's last stage. */
export function lastStage(policy: EscalationPolicy): number {
  return Math.max(...policy.stages.map((s) => s.stage));
}
