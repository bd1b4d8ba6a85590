import type { IdentifierSystem } from '@mash/schema';
import type { EntityManager } from 'typeorm';
import { SCHEMA } from '../entities/schema-name';

/** An agency identifier within a partnership: what a status change names its subject by. */
export interface IdentifierKey {
  readonly partnershipId: string;
  readonly system: IdentifierSystem | string;
  readonly value: string;
}

/**
 * Serialises everything that decides what an identifier means (consuming a change for it, linking it, registering
 * it) until the transaction ends, so a change cannot be left unmatched by racing the link that would match it.
 */
export async function lockIdentifier(manager: EntityManager, key: IdentifierKey): Promise<void> {
  await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [
    `mash-cases:identifier:${key.partnershipId}:${key.system}:${key.value}`,
  ]);
}

export async function findSubjectIdByIdentifier(
  manager: EntityManager,
  key: IdentifierKey,
): Promise<string | null> {
  const rows = (await manager.query(
    `SELECT "subject_id" FROM "${SCHEMA}"."subject_identifier" WHERE "partnership_id" = $1 AND "system" = $2 AND "value" = $3`,
    [key.partnershipId, key.system, key.value],
  )) as { subject_id: string }[];
  return rows[0]?.subject_id ?? null;
}

/** Records the identifier against the subject; recording it again is harmless. */
export async function addIdentifier(
  manager: EntityManager,
  key: IdentifierKey,
  subjectId: string,
): Promise<void> {
  await manager.query(
    `INSERT INTO "${SCHEMA}"."subject_identifier" ("partnership_id", "system", "value", "subject_id")
     VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
    [key.partnershipId, key.system, key.value, subjectId],
  );
}
