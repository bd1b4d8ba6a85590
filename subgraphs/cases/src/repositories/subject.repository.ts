import type { EntityManager } from 'typeorm';
import { SCHEMA } from '../entities/schema-name';

export interface NewSubject {
  readonly id: string;
  readonly partnershipId: string;
  readonly displayName: string;
  readonly dateOfBirth: Date | null;
}

export async function insertSubject(manager: EntityManager, subject: NewSubject): Promise<void> {
  await manager.query(
    `INSERT INTO "${SCHEMA}"."subject" ("id", "partnership_id", "display_name", "date_of_birth")
     VALUES ($1, $2, $3, $4)`,
    [
      subject.id,
      subject.partnershipId,
      subject.displayName,
      subject.dateOfBirth?.toISOString().slice(0, 10) ?? null,
    ],
  );
}

/** The subject's partnership, or undefined when there is no such subject. */
export async function subjectPartnership(
  manager: EntityManager,
  subjectId: string,
): Promise<string | undefined> {
  const rows = (await manager.query(`SELECT "partnership_id" FROM "${SCHEMA}"."subject" WHERE "id" = $1`, [
    subjectId,
  ])) as { partnership_id: string }[];
  return rows[0]?.partnership_id;
}

/** Locks the subject for the rest of the transaction; false when there is no such subject. */
export async function lockSubject(manager: EntityManager, subjectId: string): Promise<boolean> {
  const rows = (await manager.query(`SELECT "id" FROM "${SCHEMA}"."subject" WHERE "id" = $1 FOR UPDATE`, [
    subjectId,
  ])) as { id: string }[];
  return rows.length > 0;
}

/**
 * Locks those of the subjects no other transaction holds, for the rest of the transaction, without waiting
 * (`SKIP LOCKED`); answers the ids it locked. A subject held elsewhere (or that does not exist) is left out.
 */
export async function lockFreeSubjects(
  manager: EntityManager,
  subjectIds: readonly string[],
): Promise<Set<string>> {
  if (subjectIds.length === 0) return new Set();
  const rows = (await manager.query(
    `SELECT "id" FROM "${SCHEMA}"."subject" WHERE "id" = ANY($1::uuid[]) ORDER BY "id" FOR UPDATE SKIP LOCKED`,
    [[...subjectIds]],
  )) as { id: string }[];
  return new Set(rows.map((r) => r.id));
}

/** Locks many subjects for the rest of the transaction, in id order (so two batches cannot deadlock). */
export async function lockSubjects(manager: EntityManager, subjectIds: readonly string[]): Promise<void> {
  if (subjectIds.length === 0) return;
  await manager.query(
    `SELECT "id" FROM "${SCHEMA}"."subject" WHERE "id" = ANY($1::uuid[]) ORDER BY "id" FOR UPDATE`,
    [[...subjectIds]],
  );
}
