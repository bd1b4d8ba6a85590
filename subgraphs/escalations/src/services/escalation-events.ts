import { randomUUID } from 'node:crypto';
import type { EscalationEventMessage, EscalationEventType } from '@mash/schema';
import type { OutboxMessage } from '@mash/kafka';
import type { EscalationState } from '../domain/model';

/** What changed: when, who made the change (a person's subject or `system`) and why, as the record says it. */
export interface EscalationChange {
  readonly at: Date;
  readonly actor: string;
  readonly rationale: string;
}

/** A move to the next stage says whether a person made it or the stage's deadline passed. */
export interface StageAdvance extends EscalationChange {
  readonly cause: 'person' | 'deadline';
}

/**
 * An escalation lifecycle event for the outbox, keyed by escalation id so one escalation's events stay in order.
 * It takes the escalation's whole state after the change and the change itself, and fills every field of
 * `EscalationEventMessage` from them: the parties (ground, agencies, immediate risk, raised automatically or by
 * whom), who made the change, and the roles that own the stage now, so that a consumer (notifications, live
 * boards) can tell who must know without calling back. `stage-advanced` must say what caused it.
 */
export function escalationEvent(
  topic: string,
  type: 'stage-advanced',
  escalation: EscalationState,
  change: StageAdvance,
): OutboxMessage;
export function escalationEvent(
  topic: string,
  type: Exclude<EscalationEventType, 'stage-advanced'>,
  escalation: EscalationState,
  change: EscalationChange,
): OutboxMessage;
export function escalationEvent(
  topic: string,
  type: EscalationEventType,
  e: EscalationState,
  change: EscalationChange | StageAdvance,
): OutboxMessage {
  const id = randomUUID();
  const value: Required<Omit<EscalationEventMessage, 'cause'>> & Pick<EscalationEventMessage, 'cause'> = {
    id,
    type,
    escalationId: e.id,
    caseId: e.caseId,
    partnershipId: e.partnershipId,
    stage: e.stage,
    status: e.status,
    at: change.at.toISOString(),
    rationale: change.rationale,
    ground: e.ground,
    raisingAgencyId: e.raisingAgencyId,
    receivingAgencyId: e.receivingAgencyId,
    immediateRisk: e.immediateRisk,
    autoRaised: e.autoRaised,
    raisedBy: e.raisedBy,
    actor: change.actor,
    stageOwnerRoles: [...e.stageOwnerRoles],
    ...('cause' in change && { cause: change.cause }),
  };
  return { topic, key: e.id, value, headers: { 'mash-event-type': type, 'mash-event-id': id } };
}
