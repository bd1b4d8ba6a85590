import type { StatusChangeMessage } from '@mash/schema';
import type { EntityManager } from 'typeorm';
import { SCHEMA } from '../entities/schema-name';
import type { IdentifierKey } from './identifier.repository';

export interface UnmatchedRow {
  id: string;
  partnership_id: string;
  identifier_system: string;
  identifier_value: string;
  linked_subject_id: string | null;
}

/** Keeps a change that matched no subject for a person to link; a replay of it changes nothing. */
export async function recordUnmatched(manager: EntityManager, message: StatusChangeMessage): Promise<void> {
  await manager.query(
    `INSERT INTO "${SCHEMA}"."unmatched_status_change"
       ("id", "partnership_id", "agency_id", "identifier_system", "identifier_value", "message", "received_at")
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT ("id") DO NOTHING`,
    [
      message.id,
      message.partnershipId,
      message.agencyId,
      message.subject.system,
      message.subject.value,
      JSON.stringify(message),
      message.receivedAt,
    ],
  );
}

/** `recordUnmatched` for many changes with one multi-row insert. */
export async function recordUnmatchedMany(
  manager: EntityManager,
  messages: readonly StatusChangeMessage[],
): Promise<void> {
  if (messages.length === 0) return;
  await manager.query(
    `INSERT INTO "${SCHEMA}"."unmatched_status_change"
       ("id", "partnership_id", "agency_id", "identifier_system", "identifier_value", "message", "received_at")
     SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::jsonb[], $7::timestamptz[])
     ON CONFLICT ("id") DO NOTHING`,
    [
      messages.map((m) => m.id),
      messages.map((m) => m.partnershipId),
      messages.map((m) => m.agencyId),
      messages.map((m) => m.subject.system),
      messages.map((m) => m.subject.value),
      messages.map((m) => JSON.stringify(m)),
      messages.map((m) => m.receivedAt),
    ],
  );
}

export async function findUnmatched(
  manager: EntityManager,
  id: string,
  lock = false,
): Promise<UnmatchedRow | undefined> {
  const rows = (await manager.query(
    `SELECT "id", "partnership_id", "identifier_system", "identifier_value", "linked_subject_id"
     FROM "${SCHEMA}"."unmatched_status_change" WHERE "id" = $1${lock ? ' FOR UPDATE' : ''}`,
    [id],
  )) as UnmatchedRow[];
  return rows[0];
}

/** The changes still waiting for this identifier, oldest first, locked for the rest of the transaction. */
export async function lockPendingUnmatched(
  manager: EntityManager,
  key: IdentifierKey,
): Promise<{ id: string; message: StatusChangeMessage }[]> {
  return (await manager.query(
    `SELECT "id", "message" FROM "${SCHEMA}"."unmatched_status_change"
     WHERE "partnership_id" = $1 AND "identifier_system" = $2 AND "identifier_value" = $3 AND "linked_at" IS NULL
     ORDER BY ("message"->>'occurredAt')::timestamptz, "received_at", "id"
     FOR UPDATE`,
    [key.partnershipId, key.system, key.value],
  )) as { id: string; message: StatusChangeMessage }[];
}

/** Marks a waiting change linked: to which subject, by whom, when. */
export async function markLinked(
  manager: EntityManager,
  id: string,
  subjectId: string,
  linkedBy: string,
): Promise<void> {
  await manager.query(
    `UPDATE "${SCHEMA}"."unmatched_status_change"
     SET "linked_at" = now(), "linked_subject_id" = $2, "linked_by" = $3 WHERE "id" = $1`,
    [id, subjectId, linkedBy],
  );
}
