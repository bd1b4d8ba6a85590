import type { CaseEventMessage } from '@mash/schema';
import { internalMessageOrThrow } from '@mash/kafka';

/**
 * Reads a case event from a Kafka record value against the case event schema (`@mash/schema` messages.ts). A value
 * that can never be applied is a NonRetriableError (`EVENT_NOT_JSON`, `EVENT_DATA_INVALID` with the failing paths),
 * so it is set aside rather than retried for ever.
 */
export function parseCaseEvent(value: Buffer | null): CaseEventMessage {
  return internalMessageOrThrow('case event', value);
}
