import { readInternalMessage, type ReadInternalMessage } from '@mash/kafka';
import type { StatusChangeMessage } from '@mash/schema';

export type ParsedStatusChange = ReadInternalMessage<StatusChangeMessage>;

/**
 * Reads one status-changes record value against the status change schema (`@mash/schema` messages.ts). A value that
 * is not JSON, or not a StatusChangeMessage this service can store, can never succeed, so it is reported with a
 * registry code for the dead-letter topic rather than retried. The reason is logged and written into a dead-letter
 * header, so it names fields and rules, never the values.
 */
export function parseStatusChangeMessage(value: Uint8Array | string | null): ParsedStatusChange {
  return readInternalMessage('status change', value);
}
