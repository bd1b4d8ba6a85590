import type { EntityManager } from 'typeorm';
import type { EscalationPolicy } from '@mash/schema';
import { enqueueOutbox } from '@mash/kafka';
import { calendarFor } from '../domain/calendars';
import { advanceOnDeadline } from '../domain/escalation';
import type { EscalationState } from '../domain/model';
import {
  appendTransition,
  lockEscalation,
  toState,
  updateEscalation,
} from '../repositories/escalation.repository';
import { stageHistory } from '../repositories/stage-history.repository';
import { escalationEvent } from '../services/escalation-events';
import { DB_SCHEMA } from '../entities/schema-name';
import { armTimer, stageTimerKey } from '../repositories/timer.repository';
import type { Fired } from './timer-firing';

/** What a stage-deadline timer carries. */
export interface StagePayload {
  readonly escalationId: string;
  readonly partnershipId: string;
  readonly stage: number;
}

/** Arms the clock of the escalation's current stage; the last stage has none. */
export async function armStageTimer(
  m: EntityManager,
  e: Pick<EscalationState, 'id' | 'stage' | 'stageDeadline' | 'partnershipId'>,
): Promise<void> {
  if (e.stageDeadline === null) return;
  const payload: StagePayload = { escalationId: e.id, partnershipId: e.partnershipId, stage: e.stage };
  await armTimer(m, 'stage-deadline', stageTimerKey(e.id, e.stage), e.stageDeadline, payload);
}

/**
 * A stage deadline passed: move up if the escalation is still at that stage and open. The next stage's deadline
 * may count from an earlier stage (its policy `anchor`), so the stages' history is read from the transitions.
 */
export async function fireStageDeadline(
  m: EntityManager,
  p: StagePayload,
  policy: EscalationPolicy,
  now: Date,
  topic: string,
): Promise<Fired> {
  const row = await lockEscalation(m, p.escalationId);
  if (!row || row.status === 'RESOLVED' || row.stage !== p.stage) return { outcome: 'stale', events: 0 };
  if (row.stageDeadline === null || row.stageDeadline > now) return { outcome: 'stale', events: 0 };
  const history = await stageHistory(m, row.id);
  const moved = advanceOnDeadline(toState(row), now, policy, calendarFor(policy.calendar), history);
  if (!moved) return { outcome: 'last-stage', events: 0 };
  const { escalation, transition } = moved;
  await updateEscalation(m, escalation);
  await appendTransition(m, escalation.id, transition);
  await armStageTimer(m, escalation);
  await enqueueOutbox(m, DB_SCHEMA, [
    escalationEvent(topic, 'stage-advanced', escalation, now, transition.rationale),
  ]);
  return { outcome: 'advanced', events: 1 };
}
