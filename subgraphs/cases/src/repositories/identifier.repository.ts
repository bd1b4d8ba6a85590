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
  await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [identifierLockKey(key)]);
}

/** The advisory lock name of an identifier (also used as a map key). */
export function identifierLockKey(key: IdentifierKey): string {
  return `mash-cases:identifier:${key.partnershipId}:${key.system}:${key.value}`;
}

/** `lockIdentifier` for many at once, in a fixed order so that two batches cannot deadlock. */
export async function lockIdentifiers(manager: EntityManager, keys: readonly IdentifierKey[]): Promise<void> {
  const names = [...new Set(keys.map(identifierLockKey))].sort();
  if (names.length === 0) return;
  await manager.query(
    'SELECT count(pg_advisory_xact_lock(hashtext(n))) FROM (SELECT n FROM unnest($1::text[]) AS n ORDER BY n) AS o',
    [names],
  );
}

/** The subjects of many identifiers at once, by `identifierLockKey`; identifiers of no subject are left out. */
export async function findSubjectIdsByIdentifiers(
  manager: EntityManager,
  keys: readonly IdentifierKey[],
): Promise<Map<string, string>> {
  const rows = (await manager.query(
    `SELECT "partnership_id", "system", "value", "subject_id" FROM "${SCHEMA}"."subject_identifier"
      WHERE ("partnership_id", "system", "value") IN
            (SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[]))`,
    [keys.map((k) => k.partnershipId), keys.map((k) => k.system), keys.map((k) => k.value)],
  )) as { partnership_id: string; system: string; value: string; subject_id: string }[];
  return new Map(
    rows.map((r) => [
      identifierLockKey({ partnershipId: r.partnership_id, system: r.system, value: r.value }),
      r.subject_id,
    ]),
  );
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

/** `addIdentifier` for many, with one insert. */
export async function addIdentifiers(
  manager: EntityManager,
  rows: readonly { key: IdentifierKey; subjectId: string }[],
): Promise<void> {
  if (rows.length === 0) return;
  await manager.query(
    `INSERT INTO "${SCHEMA}"."subject_identifier" ("partnership_id", "system", "value", "subject_id")
     SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::uuid[]) ON CONFLICT DO NOTHING`,
    [
      rows.map((r) => r.key.partnershipId),
      rows.map((r) => r.key.system),
      rows.map((r) => r.key.value),
      rows.map((r) => r.subjectId),
    ],
  );
}
