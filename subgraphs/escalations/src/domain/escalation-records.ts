import type { EscalationPolicy } from '@mash/schema';
import type { WorkingDayCalendar } from './calendar';
import { EscalationInputError, EscalationTransitionError } from './errors';
import {
  assertOpen,
  describeStatus,
  lastStage,
  required,
  resolve,
  stageClock,
  withCurrentStage,
  type ResolveInput,
  type StageHistory,
} from './escalation';
import {
  isClosed,
  type EscalationLearning,
  type EscalationMeeting,
  type EscalationState,
  type Moved,
  type PanelDecision,
  type Participant,
  type ResolutionPanel,
} from './model';

/**
 * The records people keep on an escalation beside its moves (docs/DOMAIN.md#recording): discussions and meetings
 * (the first at a stage may anchor a later stage's deadline), learning once it closes, and at the last stage the
 * resolution panel and its decision (docs/DOMAIN.md#resolution-panel). Pure: each returns the record to append, or
 * throws `EscalationInputError` / `EscalationTransitionError` and changes nothing.
 */

export interface MeetingInput {
  /** When it is recorded. */
  readonly at: Date;
  readonly actor: string;
  readonly heldAt: Date;
  readonly participants: readonly Participant[];
  /** What was agreed: required. */
  readonly agreed: string;
}

/** A recorded meeting, and the escalation with its stage deadline moved when the meeting moved it. */
export interface MeetingRecorded {
  readonly meeting: EscalationMeeting;
  readonly escalation: EscalationState;
  /** Set when the meeting moved the current stage's anchored deadline: the old and new deadline and why. */
  readonly deadlineMoved: {
    readonly from: Date | null;
    readonly to: Date | null;
    readonly explanation: string;
  } | null;
}

/**
 * Records a discussion or meeting: who took part (at least two people; `directory` says which agency each contact
 * belongs to), when (not in the future, not before the escalation was raised) and what was agreed. It belongs to
 * the stage the escalation was at when it was held. The first meeting at a stage is what a later stage's deadline
 * may be anchored on (seed 004: heads of service meet no later than 10 days after the first professionals'
 * meeting): when it moves the current stage's anchored deadline, the new deadline is returned with the state.
 */
export function recordMeeting(
  escalation: EscalationState,
  input: MeetingInput,
  directory: ReadonlyMap<string, string>,
  policy: EscalationPolicy,
  calendar: WorkingDayCalendar,
  history: StageHistory = [],
): MeetingRecorded {
  const agreed = required(input.agreed, 'agreed');
  if (input.heldAt > input.at) {
    throw new EscalationInputError(
      `A meeting is recorded once it has happened: ${input.heldAt.toISOString()} is in the future.`,
      'heldAt',
    );
  }
  if (input.heldAt < escalation.raisedAt) {
    throw new EscalationInputError(
      `The meeting at ${input.heldAt.toISOString()} was held before the escalation was raised ` +
        `(${escalation.raisedAt.toISOString()}).`,
      'heldAt',
    );
  }
  const participants = checkPeople(input.participants, directory, 'participants');
  if (new Set(participants.map((p) => p.contactId)).size < 2) {
    throw new EscalationInputError(
      'A discussion or meeting takes at least two people: name everyone who took part.',
      'participants',
    );
  }
  if (isClosed(escalation.status)) {
    throw new EscalationTransitionError(
      `Escalation ${escalation.id} is ${describeStatus(escalation)}: record learning instead of a meeting.`,
    );
  }
  const known = withCurrentStage(escalation, history);
  const stage = stageAt(known, input.heldAt, escalation.stage);
  const meeting: EscalationMeeting = {
    stage,
    heldAt: input.heldAt,
    recordedAt: input.at,
    recordedBy: input.actor,
    participants,
    agreed,
  };
  const record = known.find((r) => r.stage === stage);
  const first = !record || record.firstMeetingAt === null || input.heldAt < record.firstMeetingAt;
  const current = policy.stages.find((s) => s.stage === escalation.stage);
  const anchor = current?.anchor;
  if (!first || !current || anchor?.event !== 'first-meeting' || anchor.stage !== stage) {
    return { meeting, escalation, deadlineMoved: null };
  }
  const after = known.map((r) => (r.stage === stage ? { ...r, firstMeetingAt: input.heldAt } : r));
  const clock = stageClock(current, escalation.stageStartedAt, escalation.immediateRisk, calendar, after);
  if (sameTime(clock.deadline, escalation.stageDeadline)) return { meeting, escalation, deadlineMoved: null };
  return {
    meeting,
    escalation: { ...escalation, stageDeadline: clock.deadline },
    deadlineMoved: { from: escalation.stageDeadline, to: clock.deadline, explanation: clock.explanation },
  };
}

export interface LearningInput {
  readonly at: Date;
  readonly actor: string;
  readonly learning: string;
  readonly debrief?: string | null;
}

/** Captures learning (and a debrief if one followed) once the escalation is resolved or redirected. */
export function recordLearning(escalation: EscalationState, input: LearningInput): EscalationLearning {
  const learning = required(input.learning, 'learning');
  const debrief =
    input.debrief === undefined || input.debrief === null ? null : required(input.debrief, 'debrief');
  if (!isClosed(escalation.status)) {
    throw new EscalationTransitionError(
      `Escalation ${escalation.id} is still open: learning is captured once it is resolved or redirected.`,
    );
  }
  return { recordedAt: input.at, recordedBy: input.actor, learning, debrief };
}

/** What the directory says about the people a panel may draw on. */
export interface PanelDirectory {
  /** Each contact's agency, for the contacts named. */
  readonly agencyOf: ReadonlyMap<string, string>;
  /** The partnership's agencies that may sit on a panel (partner agencies, not the business unit), by id. */
  readonly agencies: ReadonlyMap<string, string>;
  /** The agencies in dispute that have contacts in the directory. */
  readonly disputingWithContacts: ReadonlySet<string>;
}

/** A resolution panel needs representatives of this many agencies (seed 001). */
export const PANEL_AGENCIES = 3;

/**
 * The partnership chair convenes a resolution panel at the last stage (seed 001): representatives of at least
 * three partner agencies, the agencies in dispute among them wherever they have someone in the directory.
 */
export function conveneResolutionPanel(
  escalation: EscalationState,
  input: { readonly at: Date; readonly actor: string; readonly members: readonly Participant[] },
  directory: PanelDirectory,
  policy: EscalationPolicy,
  existing: ResolutionPanel | null,
): ResolutionPanel {
  const members = checkPeople(input.members, directory.agencyOf, 'members');
  const outside = members.filter((m) => !directory.agencies.has(m.agencyId));
  if (outside.length > 0) {
    throw new EscalationInputError(
      `A panel is drawn from the partnership's agencies: ${outside.map((m) => m.agencyId).join(', ')} ` +
        'is not one of them.',
      'members',
    );
  }
  const agencies = new Set(members.map((m) => m.agencyId));
  if (agencies.size < PANEL_AGENCIES) {
    throw new EscalationInputError(
      `A resolution panel has representatives of ${PANEL_AGENCIES} agencies; these members come from ` +
        `${agencies.size}.`,
      'members',
    );
  }
  const missing = [escalation.raisingAgencyId, escalation.receivingAgencyId].filter(
    (a) => directory.disputingWithContacts.has(a) && !agencies.has(a),
  );
  if (missing.length > 0) {
    const names = missing.map((a) => directory.agencies.get(a) ?? a).join(' and ');
    throw new EscalationInputError(
      `The agencies in dispute sit on the panel where possible, and ${names} ${missing.length > 1 ? 'have' : 'has'} ` +
        'people in the directory: add a representative of each.',
      'members',
    );
  }
  assertOpen(escalation, 'go to a resolution panel');
  if (policy.stages.some((s) => s.stage > escalation.stage)) {
    throw new EscalationTransitionError(
      `Escalation ${escalation.id} is at stage ${escalation.stage}: a resolution panel is convened at the last ` +
        `stage (${lastStage(policy)}).`,
    );
  }
  if (existing) {
    throw new EscalationTransitionError(
      `A resolution panel was already convened for escalation ${escalation.id} at ` +
        `${existing.convenedAt.toISOString()}.`,
    );
  }
  return { convenedAt: input.at, convenedBy: input.actor, members, decision: null };
}

/**
 * The panel's decision, recorded by the chair, resolves the escalation with the decision as its outcome and the
 * panel's rationale; how outstanding issues will be pursued is confirmed with it, as with any resolution.
 */
export function recordPanelDecision(
  escalation: EscalationState,
  panel: ResolutionPanel | null,
  input: ResolveInput,
): { readonly decision: PanelDecision; readonly moved: Moved } {
  const rationale = required(input.rationale, 'rationale');
  required(input.outstandingIssues, 'outstandingIssues');
  assertOpen(escalation, 'record a panel decision');
  if (!panel) {
    throw new EscalationTransitionError(
      `No resolution panel has been convened for escalation ${escalation.id}: convene one first.`,
    );
  }
  const moved = resolve(escalation, { ...input, rationale: `Resolution panel decision: ${rationale}` });
  return {
    decision: { decidedAt: input.at, decidedBy: input.actor, decision: input.outcome, rationale },
    moved,
  };
}

/** The people named, each once and each in the agency the directory has them in. */
function checkPeople(
  people: readonly Participant[],
  directory: ReadonlyMap<string, string>,
  field: string,
): Participant[] {
  const seen = new Set<string>();
  for (const p of people) {
    if (seen.has(p.contactId)) {
      throw new EscalationInputError(`${p.contactId} is named twice.`, field);
    }
    seen.add(p.contactId);
    const agency = directory.get(p.contactId);
    if (agency === undefined) {
      throw new EscalationInputError(`Contact ${p.contactId} is not in the partnership's directory.`, field);
    }
    if (agency !== p.agencyId) {
      throw new EscalationInputError(
        `Contact ${p.contactId} works for agency ${agency} in the directory, not ${p.agencyId}.`,
        field,
      );
    }
  }
  return people.map((p) => ({ contactId: p.contactId, agencyId: p.agencyId }));
}

/** The stage the escalation was at, at `at`: the highest stage started by then (stages only go up). */
export function stageAt(history: StageHistory, at: Date, fallback: number): number {
  const started = history.filter((r) => r.startedAt <= at).map((r) => r.stage);
  return started.length > 0 ? Math.max(...started) : fallback;
}

function sameTime(a: Date | null, b: Date | null): boolean {
  return a === null || b === null ? a === b : a.getTime() === b.getTime();
}
