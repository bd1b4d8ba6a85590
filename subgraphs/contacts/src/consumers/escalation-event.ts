import { ESCALATION_EVENT_TYPES, type EscalationEventMessage } from '@mash/schema';
import { internalMessageOrThrow } from '@mash/kafka';

const TYPES = new Set<string>(ESCALATION_EVENT_TYPES);

/**
 * Reads an escalation event from a Kafka record value against the escalation event schema (`@mash/schema`
 * messages.ts). A value that can never be applied is a NonRetriableError (`EVENT_NOT_JSON`, `EVENT_DATA_INVALID`
 * with the failing paths), so it is set aside rather than retried for ever. An event type this version does not
 * know is read as it is and tells nobody.
 */
export function parseEscalationEvent(value: Buffer | null): EscalationEventMessage {
  return internalMessageOrThrow('escalation event', value);
}

/** Whether this version knows the event's type. */
export function knownEventType(event: EscalationEventMessage): boolean {
  return TYPES.has(event.type);
}
