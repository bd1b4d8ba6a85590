import type { StatusChangeMessage } from '@mash/schema';
import type { EntityManager } from 'typeorm';
import type { UnmatchedReasonCode } from '../entities';
import { SCHEMA } from '../entities/schema-name';
import type { IdentifierKey } from './identifier.repository';

export interface UnmatchedRow {
  id: string;
  partnership_id: string;
  identifier_system: string;
  identifier_value: string;
  linked_subject_id: string | null;
  reason_code: UnmatchedReasonCode;
  message: StatusChangeMessage;
}

/**
 * Holds changes for a person to link, each with the reason (a registry code), with one multi-row insert; a replay
 * of a held change changes nothing.
 */
export async function recordUnmatchedMany(
  manager: EntityManager,
  held: readonly { readonly message: StatusChangeMessage; readonly reason: UnmatchedReasonCode }[],
): Promise<void> {
  if (held.length === 0) return;
  const messages = held.map((h) => h.message);
  await manager.query(
    `INSERT INTO "${SCHEMA}"."unmatched_status_change"
       ("id", "partnership_id", "agency_id", "identifier_system", "identifier_value", "message", "received_at",
        "reason_code")
     SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::jsonb[], $7::timestamptz[],
                          $8::text[])
     ON CONFLICT ("id") DO NOTHING`,
    [
      messages.map((m) => m.id),
      messages.map((m) => m.partnershipId),
      messages.map((m) => m.agencyId),
      messages.map((m) => m.subject.system),
      messages.map((m) => m.subject.value),
      messages.map((m) => JSON.stringify(m)),
      messages.map((m) => m.receivedAt),
      held.map((h) => h.reason),
    ],
  );
}

/** A waiting change found to name identifiers of two subjects: it now waits for an explicit link. */
export async function markConflict(manager: EntityManager, id: string): Promise<void> {
  await manager.query(
    `UPDATE "${SCHEMA}"."unmatched_status_change" SET "reason_code" = 'IDENTIFIER_CONFLICT' WHERE "id" = $1`,
    [id],
  );
}

export async function findUnmatched(
  manager: EntityManager,
  id: string,
  lock = false,
): Promise<UnmatchedRow | undefined> {
  const rows = (await manager.query(
    `SELECT "id", "partnership_id", "identifier_system", "identifier_value", "linked_subject_id", "reason_code",
            "message"
     FROM "${SCHEMA}"."unmatched_status_change" WHERE "id" = $1${lock ? ' FOR UPDATE' : ''}`,
    [id],
  )) as UnmatchedRow[];
  return rows[0];
}

/**
 * The changes still waiting for this identifier because no subject was known (and the one named by `alsoId`,
 * whatever its reason), oldest first, locked for the rest of the transaction. A change held for a conflict waits
 * for a MASH officer to link it by itself.
 */
export async function lockPendingUnmatched(
  manager: EntityManager,
  key: IdentifierKey,
  alsoId?: string,
): Promise<{ id: string; message: StatusChangeMessage }[]> {
  return (await manager.query(
    `SELECT "id", "message" FROM "${SCHEMA}"."unmatched_status_change"
     WHERE "partnership_id" = $1 AND "identifier_system" = $2 AND "identifier_value" = $3 AND "linked_at" IS NULL
       AND ("reason_code" = 'SUBJECT_UNKNOWN' OR "id" = $4)
     ORDER BY ("message"->>'occurredAt')::timestamptz, "received_at", "id"
     FOR UPDATE`,
    [key.partnershipId, key.system, key.value, alsoId ?? null],
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
