import { randomUUID } from 'node:crypto';
import type { EscalationEventMessage, EscalationEventType } from '@mash/schema';
import type { OutboxMessage } from '@mash/kafka';
import type { EscalationState } from '../domain/model';

/** An escalation lifecycle event for the outbox, keyed by escalation id so one escalation's events stay in order. */
export function escalationEvent(
  topic: string,
  type: EscalationEventType,
  e: Pick<EscalationState, 'id' | 'caseId' | 'partnershipId' | 'stage' | 'status'> &
    Partial<
      Pick<
        EscalationState,
        | 'ground'
        | 'raisingAgencyId'
        | 'receivingAgencyId'
        | 'immediateRisk'
        | 'autoRaised'
        | 'stageOwnerRoles'
      >
    >,
  at: Date,
  rationale: string,
): OutboxMessage {
  const id = randomUUID();
  const value: EscalationEventMessage = {
    id,
    type,
    escalationId: e.id,
    caseId: e.caseId,
    partnershipId: e.partnershipId,
    stage: e.stage,
    status: e.status,
    at: at.toISOString(),
    rationale,
    // The parties, so that the contacts subgraph can tell who must know without calling back.
    ...(e.ground !== undefined && { ground: e.ground }),
    ...(e.raisingAgencyId !== undefined && { raisingAgencyId: e.raisingAgencyId }),
    ...(e.receivingAgencyId !== undefined && { receivingAgencyId: e.receivingAgencyId }),
    ...(e.immediateRisk !== undefined && { immediateRisk: e.immediateRisk }),
    ...(e.autoRaised !== undefined && { autoRaised: e.autoRaised }),
    ...(e.stageOwnerRoles !== undefined && { stageOwnerRoles: [...e.stageOwnerRoles] }),
  };
  return { topic, key: e.id, value, headers: { 'mash-event-type': type, 'mash-event-id': id } };
}
