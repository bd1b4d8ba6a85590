import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { TimerKind } from '../entities/timer.entity';

/** Durable timers: written in the same transaction as the state they guard, fired once by the scheduler. */

export interface DueTimer {
  readonly id: string;
  readonly kind: TimerKind;
  readonly key: string;
  readonly dueAt: Date;
  readonly payload: Record<string, unknown>;
  readonly attempts: number;
}

/** The timer of a finding waiting for its due time: one per case, ground, pair of agencies and concern. */
export function graceTimerKey(
  caseId: string,
  ground: string,
  raisingAgencyId: string,
  receivingAgencyId: string,
  concern?: string,
): string {
  return `grace:${caseId}:${ground}:${raisingAgencyId}:${receivingAgencyId}${concern ? `:${concern}` : ''}`;
}

export function stageTimerKey(escalationId: string, stage: number): string {
  return `stage:${escalationId}:${stage}`;
}

/**
 * Arms a timer unless one with the key is already waiting (its due time stands). A timer with the key that has
 * already fired is armed again: a disagreement that ended and came back gets a new grace period.
 *
 * Never waits on a waiting timer (lock order, scheduler.service.ts): `INSERT … ON CONFLICT DO NOTHING` takes no
 * lock on the row it conflicts with, and the `UPDATE` only touches a row whose committed version has fired, so an
 * unfired timer that a scheduler has claimed `FOR UPDATE` is passed over rather than waited for. (One
 * `ON CONFLICT DO UPDATE … WHERE fired_at IS NOT NULL` would lock, and wait for, the conflicting row even when its
 * WHERE is false.) A waiting timer whose disagreement has since moved on is put right when it fires: the
 * scheduler recomputes the finding and arms it again for the new due time.
 */
export async function armTimer(
  manager: EntityManager,
  kind: TimerKind,
  key: string,
  dueAt: Date,
  payload: object,
): Promise<void> {
  const inserted = (await manager.query(
    `INSERT INTO "escalations"."timer" ("id", "kind", "key", "due_at", "payload")
     VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT ("key") DO NOTHING
     RETURNING "id"`,
    [randomUUID(), kind, key, dueAt, JSON.stringify(payload)],
  )) as unknown[];
  if (inserted.length > 0) return;
  await manager.query(
    `UPDATE "escalations"."timer"
        SET "due_at" = $2, "payload" = $3, "fired_at" = NULL, "attempts" = 0, "last_error" = NULL
      WHERE "key" = $1 AND "fired_at" IS NOT NULL`,
    [key, dueAt, JSON.stringify(payload)],
  );
}

/**
 * Sets a timer to wait for `dueAt` with `payload`, whatever it waited for before: arms it when there is none or it
 * has fired, and moves it when it is waiting for another time or with other evidence. Unchanged, it is left alone.
 *
 * Never waits on a timer a scheduler has claimed (lock order, scheduler.ts): the insert takes no lock on the row it
 * conflicts with, and the update locks the row `SKIP LOCKED`, so a claimed timer is passed over. The scheduler
 * firing it computes the finding again from the case as it stands, and re-arms it for the new time if need be.
 */
export async function setTimer(
  manager: EntityManager,
  kind: TimerKind,
  key: string,
  dueAt: Date,
  payload: object,
): Promise<void> {
  const json = JSON.stringify(payload);
  const inserted = (await manager.query(
    `INSERT INTO "escalations"."timer" ("id", "kind", "key", "due_at", "payload")
     VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT ("key") DO NOTHING
     RETURNING "id"`,
    [randomUUID(), kind, key, dueAt, json],
  )) as unknown[];
  if (inserted.length > 0) return;
  await manager.query(
    `UPDATE "escalations"."timer"
        SET "due_at" = $2, "payload" = $3, "fired_at" = NULL, "attempts" = 0, "last_error" = NULL
      WHERE "id" = (SELECT "id" FROM "escalations"."timer" WHERE "key" = $1 FOR UPDATE SKIP LOCKED)
        AND ("fired_at" IS NOT NULL OR "due_at" <> $2 OR "payload" <> $3::jsonb)`,
    [key, dueAt, json],
  );
}

/**
 * Disarms a case's waiting finding timers other than `keep`: a case event showed that what they waited for no
 * longer holds (the expected event arrived, the disagreement ended). They are deleted, never fired. A timer a
 * scheduler has claimed is passed over (`SKIP LOCKED`); the scheduler finds the finding gone when it fires it.
 * Returns the keys disarmed.
 */
export async function disarmFindingTimers(
  manager: EntityManager,
  caseId: string,
  keep: readonly string[],
): Promise<string[]> {
  const rows = (await manager.query(
    // As a SELECT over the DELETE: TypeORM answers a bare DELETE with [rows, count] rather than the rows.
    `WITH "disarmed" AS (
       DELETE FROM "escalations"."timer" WHERE "id" IN (
         SELECT "id" FROM "escalations"."timer"
          WHERE "kind" = 'grace' AND "fired_at" IS NULL AND "payload"->>'caseId' = $1
            AND NOT ("key" = ANY($2::text[]))
          FOR UPDATE SKIP LOCKED)
       RETURNING "key")
     SELECT "key" FROM "disarmed" ORDER BY "key"`,
    [caseId, [...keep]],
  )) as { key: string }[];
  return rows.map((r) => r.key);
}

/** A claimed timer that is not due after all waits again until `dueAt`, with what it now carries. */
export async function rearmClaimedTimer(
  manager: EntityManager,
  id: string,
  dueAt: Date,
  payload: object,
): Promise<void> {
  await manager.query(
    `UPDATE "escalations"."timer" SET "due_at" = $2, "payload" = $3, "attempts" = 0, "last_error" = NULL
      WHERE "id" = $1`,
    [id, dueAt, JSON.stringify(payload)],
  );
}

/** Partnerships of the timers due now (no locks): lets the scheduler fetch policies before its transaction. */
export async function partnershipsOfDueTimers(
  manager: EntityManager,
  now: Date,
  limit: number,
): Promise<string[]> {
  const rows = (await manager.query(
    `SELECT DISTINCT "payload"->>'partnershipId' AS "id" FROM (
       SELECT "payload" FROM "escalations"."timer"
        WHERE "fired_at" IS NULL AND "due_at" <= $1 ORDER BY "due_at" LIMIT $2) due`,
    [now, limit],
  )) as { id: string | null }[];
  return rows.map((r) => r.id).filter((id): id is string => id !== null);
}

/** Claims due timers for this transaction; timers another instance holds are skipped, never fired twice. */
export async function claimDueTimers(manager: EntityManager, now: Date, limit: number): Promise<DueTimer[]> {
  const rows = (await manager.query(
    `SELECT "id", "kind", "key", "due_at", "payload", "attempts" FROM "escalations"."timer"
      WHERE "fired_at" IS NULL AND "due_at" <= $1
      ORDER BY "due_at"
      LIMIT $2
      FOR UPDATE SKIP LOCKED`,
    [now, limit],
  )) as {
    id: string;
    kind: TimerKind;
    key: string;
    due_at: Date;
    payload: Record<string, unknown>;
    attempts: number;
  }[];
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    key: r.key,
    dueAt: r.due_at,
    payload: r.payload,
    attempts: r.attempts,
  }));
}

export async function markFired(manager: EntityManager, id: string, at: Date): Promise<void> {
  await manager.query(`UPDATE "escalations"."timer" SET "fired_at" = $2 WHERE "id" = $1`, [id, at]);
}

/** A timer whose work failed waits and tries again, with the error kept for operators. */
export async function postponeTimer(
  manager: EntityManager,
  id: string,
  until: Date,
  error: string,
): Promise<void> {
  await manager.query(
    `UPDATE "escalations"."timer" SET "due_at" = $2, "attempts" = "attempts" + 1, "last_error" = $3 WHERE "id" = $1`,
    [id, until, error.slice(0, 2000)],
  );
}
