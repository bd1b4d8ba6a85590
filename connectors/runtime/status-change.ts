import type { CloudEvent, StatusChangeMessage } from '@mash/schema';
import { uuidFromName, type SourceSystemRef } from '@mash/service-kit';
import type { FamilyDefinition, MappedStatusChange } from './family';

/** The key of a status change: one subject's changes from one partnership stay in order. */
export function statusChangeKey(message: Pick<StatusChangeMessage, 'partnershipId' | 'subject'>): string {
  return `${message.partnershipId}:${message.subject.system}:${message.subject.value}`;
}

/** The deterministic status change id of an event: a replay of the same source and id yields the same id. */
export function statusChangeId(source: string, eventId: string): string {
  return uuidFromName(`${source}|${eventId}`);
}

/** The canonical status change of a stored event, as published the first time and on every replay. */
export function statusChangeOf(
  id: string,
  event: CloudEvent,
  definition: FamilyDefinition,
  system: SourceSystemRef,
  mapped: MappedStatusChange,
  firstReceivedAt: string,
): StatusChangeMessage {
  return {
    id,
    eventId: event.id,
    source: event.source,
    type: event.type,
    family: definition.family,
    partnershipId: system.partnershipId,
    agencyId: system.agencyId,
    sourceSystemId: system.id,
    subject: { system: mapped.subject.system, value: mapped.subject.value },
    ...(mapped.otherIdentifiers &&
      mapped.otherIdentifiers.length > 0 && {
        otherIdentifiers: mapped.otherIdentifiers.map(({ system, value }) => ({ system, value })),
      }),
    kind: mapped.kind,
    facts: mapped.facts,
    summary: mapped.summary,
    occurredAt: mapped.occurredAt,
    // The first receipt's time, so a replay republishes an identical message.
    receivedAt: firstReceivedAt,
  };
}

/** JSON text with object keys sorted at every level: equal for equal JSON values, whatever the key order. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

/** Whether two payloads are the same JSON value (the stored one comes back from jsonb with its keys reordered). */
export function sameJson(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}
