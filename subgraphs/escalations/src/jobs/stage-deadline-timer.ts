import type { EntityManager } from 'typeorm';
import type { EscalationPolicy } from '@mash/schema';
import { enqueueOutbox } from '@mash/kafka';
import { calendarFor } from '../domain/calendars';
import { advanceOnDeadline, lapseOnDeadline } from '../domain/escalation';
import { isClosed, type EscalationState } from '../domain/model';
import {
  appendTransition,
  lockEscalation,
  toState,
  updateEscalation,
} from '../repositories/escalation.repository';
import { stageHistory } from '../repositories/stage-history.repository';
import { escalationEvent } from '../services/escalation-events';
import { DB_SCHEMA } from '../entities/schema-name';
import { armTimer, setTimer, stageTimerKey } from '../repositories/timer.repository';
import type { Fired } from './timer-firing';

/** What a stage-deadline timer carries. */
export interface StagePayload {
  readonly escalationId: string;
  readonly partnershipId: string;
  readonly stage: number;
}

/** Arms the clock of the escalation's current stage; a stage without a timescale has none. */
export async function armStageTimer(
  m: EntityManager,
  e: Pick<EscalationState, 'id' | 'stage' | 'stageDeadline' | 'partnershipId'>,
): Promise<void> {
  const timer = stageTimerOf(e);
  if (timer) await armTimer(m, 'stage-deadline', timer.key, timer.dueAt, timer.payload);
}

/** The timer of the escalation's current stage (key, deadline, payload); null for a stage without a timescale. */
export function stageTimerOf(
  e: Pick<EscalationState, 'id' | 'stage' | 'stageDeadline' | 'partnershipId'>,
): { key: string; dueAt: Date; payload: StagePayload } | null {
  if (e.stageDeadline === null) return null;
  return {
    key: stageTimerKey(e.id, e.stage),
    dueAt: e.stageDeadline,
    payload: { escalationId: e.id, partnershipId: e.partnershipId, stage: e.stage },
  };
}

/**
 * Moves the clock of the escalation's current stage to its new deadline (a meeting moved an anchored deadline).
 * Never waits on a timer a scheduler has claimed (`setTimer` passes it over): the scheduler firing it finds the
 * deadline moved later and waits again (below), or moves the escalation up when the new deadline has passed too.
 */
export async function rearmStageTimer(
  m: EntityManager,
  e: Pick<EscalationState, 'id' | 'stage' | 'stageDeadline' | 'partnershipId'>,
): Promise<void> {
  if (e.stageDeadline === null) return;
  const payload: StagePayload = { escalationId: e.id, partnershipId: e.partnershipId, stage: e.stage };
  await setTimer(m, 'stage-deadline', stageTimerKey(e.id, e.stage), e.stageDeadline, payload);
}

/**
 * A stage deadline passed: move up if the escalation is still at that stage and open. The next stage's deadline
 * may count from an earlier stage (its policy `anchor`), so the stages' history is read from the transitions and
 * meetings. At the last stage nothing moves: the lapse is recorded and flagged to the partnership chair
 * (`stage-lapsed`), once, since the timer fires once. A deadline that a meeting moved later while the timer waited
 * to fire is waited for again.
 */
export async function fireStageDeadline(
  m: EntityManager,
  p: StagePayload,
  policy: EscalationPolicy,
  now: Date,
  topic: string,
): Promise<Fired> {
  const row = await lockEscalation(m, p.escalationId);
  if (!row || isClosed(row.status) || row.stage !== p.stage) return { outcome: 'stale', events: 0 };
  if (row.stageDeadline === null) return { outcome: 'stale', events: 0 };
  if (row.stageDeadline > now) {
    return { outcome: 'rearmed', events: 0, rearm: { dueAt: row.stageDeadline, payload: p } };
  }
  const history = await stageHistory(m, row.id);
  const state = toState(row);
  const moved = advanceOnDeadline(state, now, policy, calendarFor(policy.calendar), history);
  if (!moved) {
    const lapsed = lapseOnDeadline(state, now, policy);
    await appendTransition(m, row.id, lapsed.transition);
    await enqueueOutbox(m, DB_SCHEMA, [
      escalationEvent(topic, 'stage-lapsed', lapsed.escalation, lapsed.transition),
    ]);
    return { outcome: 'lapsed', events: 1 };
  }
  const { escalation, transition } = moved;
  await updateEscalation(m, escalation);
  await appendTransition(m, escalation.id, transition);
  await armStageTimer(m, escalation);
  await enqueueOutbox(m, DB_SCHEMA, [
    escalationEvent(topic, 'stage-advanced', escalation, { ...transition, cause: 'deadline' }),
  ]);
  return { outcome: 'advanced', events: 1 };
}
