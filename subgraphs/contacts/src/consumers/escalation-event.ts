import { ESCALATION_EVENT_TYPES, type EscalationEventMessage } from '@mash/schema';
import { NonRetriableError } from '@mash/kafka';
import { isUuid } from '@mash/service-kit';

const TYPES = new Set<string>(ESCALATION_EVENT_TYPES);

/**
 * Reads an escalation event from a Kafka record value. A value that can never be applied is a NonRetriableError
 * (coded from the registry), so it is set aside rather than retried for ever. An event type this version does not
 * know is read as it is and tells nobody.
 */
export function parseEscalationEvent(value: Buffer | null): EscalationEventMessage {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value?.toString('utf8') ?? '');
  } catch {
    throw new NonRetriableError('EVENT_NOT_JSON', 'The escalation event is not a JSON document.');
  }
  const problem = shapeProblem(parsed);
  if (problem) {
    throw new NonRetriableError('EVENT_DATA_INVALID', `The escalation event is malformed: ${problem}.`);
  }
  return parsed as EscalationEventMessage;
}

/** Whether this version knows the event's type. */
export function knownEventType(event: EscalationEventMessage): boolean {
  return TYPES.has(event.type);
}

function shapeProblem(v: unknown): string | null {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return 'not an object';
  const e = v as Record<string, unknown>;
  if (typeof e['id'] !== 'string' || !e['id']) return 'id is missing';
  if (typeof e['type'] !== 'string' || !e['type']) return 'type is missing';
  if (typeof e['escalationId'] !== 'string' || !isUuid(e['escalationId']))
    return 'escalationId is not a UUID';
  if (typeof e['partnershipId'] !== 'string' || !e['partnershipId']) return 'partnershipId is missing';
  if (typeof e['stage'] !== 'number' || !Number.isInteger(e['stage'])) return 'stage is not an integer';
  if (typeof e['at'] !== 'string' || Number.isNaN(Date.parse(e['at']))) return 'at is not a date';
  const roles = e['stageOwnerRoles'];
  if (roles !== undefined && (!Array.isArray(roles) || !roles.every((r) => typeof r === 'string'))) {
    return 'stageOwnerRoles is not a list of roles';
  }
  for (const field of ['raisingAgencyId', 'receivingAgencyId', 'actor', 'ground'] as const) {
    if (e[field] !== undefined && typeof e[field] !== 'string') return `${field} is not a string`;
  }
  if (e['raisedBy'] !== undefined && e['raisedBy'] !== null && typeof e['raisedBy'] !== 'string') {
    return 'raisedBy is not a string';
  }
  return null;
}
