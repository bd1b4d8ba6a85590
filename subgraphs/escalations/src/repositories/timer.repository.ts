import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { CaseSnapshot } from '@mash/schema';
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
        SET "due_at" = $2, "payload" = $3, "fired_at" = NULL, "attempts" = 0, "last_error" = NULL,
            "claimed_until" = NULL
      WHERE "key" = $1 AND "fired_at" IS NOT NULL`,
    [key, dueAt, JSON.stringify(payload)],
  );
}

/**
 * Inserts, with one statement, the timers whose key no timer holds yet; answers the others, in order, with their
 * payload as JSON, for the caller to update as its rule says (`armTimers`, `setTimers`).
 */
async function insertNewTimers(
  manager: EntityManager,
  kind: TimerKind,
  timers: readonly { readonly key: string; readonly dueAt: Date; readonly payload: object }[],
): Promise<{ readonly key: string; readonly dueAt: Date; readonly json: string }[]> {
  const json = timers.map((t) => JSON.stringify(t.payload));
  const inserted = new Set(
    (
      (await manager.query(
        `INSERT INTO "escalations"."timer" ("id", "kind", "key", "due_at", "payload")
         SELECT "id", $2, "key", "due_at", "payload"
           FROM unnest($1::uuid[], $3::text[], $4::timestamptz[], $5::jsonb[]) AS t("id", "key", "due_at", "payload")
         ON CONFLICT ("key") DO NOTHING
         RETURNING "key"`,
        [timers.map(() => randomUUID()), kind, timers.map((t) => t.key), timers.map((t) => t.dueAt), json],
      )) as { key: string }[]
    ).map((r) => r.key),
  );
  return timers.flatMap((t, i) =>
    inserted.has(t.key) ? [] : [{ key: t.key, dueAt: t.dueAt, json: json[i]! }],
  );
}

/**
 * `armTimer` for many timers of one kind: one insert of them all, and an update only when some key is taken (a
 * fired timer with the key is armed again, a waiting one is left alone, without waiting on it). Keys must be
 * distinct.
 */
export async function armTimers(
  manager: EntityManager,
  kind: TimerKind,
  timers: readonly { readonly key: string; readonly dueAt: Date; readonly payload: object }[],
): Promise<void> {
  if (timers.length === 0) return;
  const rest = await insertNewTimers(manager, kind, timers);
  if (rest.length === 0) return;
  await manager.query(
    `UPDATE "escalations"."timer" AS t
        SET "due_at" = u."due_at", "payload" = u."payload", "fired_at" = NULL, "attempts" = 0, "last_error" = NULL,
            "claimed_until" = NULL
       FROM unnest($1::text[], $2::timestamptz[], $3::jsonb[]) AS u("key", "due_at", "payload")
      WHERE t."key" = u."key" AND t."fired_at" IS NOT NULL`,
    [rest.map((t) => t.key), rest.map((t) => t.dueAt), rest.map((t) => t.json)],
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
        SET "due_at" = $2, "payload" = $3, "fired_at" = NULL, "attempts" = 0, "last_error" = NULL,
            "claimed_until" = NULL
      WHERE "id" = (SELECT "id" FROM "escalations"."timer" WHERE "key" = $1 FOR UPDATE SKIP LOCKED)
        AND ("fired_at" IS NOT NULL OR "due_at" <> $2 OR "payload" <> $3::jsonb)`,
    [key, dueAt, json],
  );
}

/**
 * `setTimer` for many timers of one kind with two statements (an insert of the new ones, an update of the rest),
 * whatever their number: the same effect, with the same passing over of a timer a scheduler has claimed. Keys must
 * be distinct (the caller keeps the last setting of each).
 */
export async function setTimers(
  manager: EntityManager,
  kind: TimerKind,
  timers: readonly { readonly key: string; readonly dueAt: Date; readonly payload: object }[],
): Promise<void> {
  if (timers.length === 0) return;
  const sorted = [...timers].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const rest = await insertNewTimers(manager, kind, sorted);
  if (rest.length === 0) return;
  await manager.query(
    `UPDATE "escalations"."timer" AS t
        SET "due_at" = u."due_at", "payload" = u."payload", "fired_at" = NULL, "attempts" = 0, "last_error" = NULL,
            "claimed_until" = NULL
       FROM unnest($1::text[], $2::timestamptz[], $3::jsonb[]) AS u("key", "due_at", "payload")
      WHERE t."key" = u."key"
        AND t."id" IN (SELECT "id" FROM "escalations"."timer" WHERE "key" = ANY($1::text[])
                        ORDER BY "key" FOR UPDATE SKIP LOCKED)
        AND (t."fired_at" IS NOT NULL OR t."due_at" <> u."due_at" OR t."payload" <> u."payload")`,
    [rest.map((t) => t.key), rest.map((t) => t.dueAt), rest.map((t) => t.json)],
  );
}

/**
 * `disarmFindingTimers` for many cases with one statement: `keep` holds the keys to keep of every case (a finding
 * timer's key names its case). Returns the keys disarmed, by case id.
 */
export async function disarmFindingTimersOfCases(
  manager: EntityManager,
  caseIds: readonly string[],
  keep: readonly string[],
): Promise<Map<string, string[]>> {
  const disarmed = new Map<string, string[]>();
  if (caseIds.length === 0) return disarmed;
  const rows = (await manager.query(
    `WITH "disarmed" AS (
       DELETE FROM "escalations"."timer" WHERE "id" IN (
         SELECT "id" FROM "escalations"."timer"
          WHERE "kind" = 'grace' AND "fired_at" IS NULL AND "payload"->>'caseId' = ANY($1::text[])
            AND NOT ("key" = ANY($2::text[]))
          ORDER BY "key"
          FOR UPDATE SKIP LOCKED)
       RETURNING "key", "payload"->>'caseId' AS "case_id")
     SELECT "key", "case_id" FROM "disarmed" ORDER BY "case_id", "key"`,
    [[...caseIds], [...keep]],
  )) as { key: string; case_id: string }[];
  for (const r of rows) disarmed.set(r.case_id, [...(disarmed.get(r.case_id) ?? []), r.key]);
  return disarmed;
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
    `UPDATE "escalations"."timer"
        SET "due_at" = $2, "payload" = $3, "attempts" = 0, "last_error" = NULL, "claimed_until" = NULL
      WHERE "id" = $1`,
    [id, dueAt, JSON.stringify(payload)],
  );
}

interface TimerRow {
  id: string;
  kind: TimerKind;
  key: string;
  due_at: Date;
  payload: Record<string, unknown>;
  attempts: number;
}

const dueTimer = (r: TimerRow): DueTimer => ({
  id: r.id,
  kind: r.kind,
  key: r.key,
  dueAt: r.due_at,
  payload: r.payload,
  attempts: r.attempts,
});

/**
 * Claims up to `limit` due timers, earliest first, until `leaseUntil`, in one statement (the partial index
 * `timer_due` finds the waiting ones in due order): a sweep finds and claims its batch at once, then fires each in
 * its own transaction (`lockClaimedTimer`). Other instances pass over a claimed timer until its lease runs out, so
 * an instance that stops mid-batch hands its claims back then; one locked by another transaction is skipped.
 */
export async function claimDueTimerBatch(
  manager: EntityManager,
  now: Date,
  leaseUntil: Date,
  limit: number,
): Promise<DueTimer[]> {
  const rows = (await manager.query(
    // As a SELECT over the UPDATE: TypeORM answers a bare UPDATE … RETURNING with [rows, count], and in due order.
    `WITH "claimed" AS (
       UPDATE "escalations"."timer" SET "claimed_until" = $2
        WHERE "id" IN (
          SELECT "id" FROM "escalations"."timer"
           WHERE "fired_at" IS NULL AND "due_at" <= $1 AND ("claimed_until" IS NULL OR "claimed_until" <= $1)
           ORDER BY "due_at"
           LIMIT $3
           FOR UPDATE SKIP LOCKED)
        RETURNING "id", "kind", "key", "due_at", "payload", "attempts")
     SELECT * FROM "claimed" ORDER BY "due_at", "id"`,
    [now, leaseUntil, limit],
  )) as TimerRow[];
  return rows.map(dueTimer);
}

/**
 * Locks a claimed timer for this transaction, to fire it: null when it has fired, been disarmed or moved later
 * since it was claimed. It waits for a transaction that holds the row (another sweep's claim statement passing over
 * it, the engine moving it, an instance whose lease ran out firing it): this is the first lock the firing
 * transaction takes, so it waits holding nothing, and none of those transactions waits for a timer (lock order,
 * scheduler.ts). Skipping it instead would leave it claimed, unfired, until the lease ran out.
 */
export async function lockClaimedTimer(
  manager: EntityManager,
  id: string,
  now: Date,
): Promise<DueTimer | null> {
  const [row] = (await manager.query(
    `SELECT "id", "kind", "key", "due_at", "payload", "attempts" FROM "escalations"."timer"
      WHERE "id" = $1 AND "fired_at" IS NULL AND "due_at" <= $2
      FOR UPDATE`,
    [id, now],
  )) as TimerRow[];
  return row ? dueTimer(row) : null;
}

/**
 * `lockClaimedTimer` for a sweep's batch with one statement, locked in id order: the first statement of the batch's
 * transaction, so it waits holding nothing. Those fired, disarmed or moved later since the claim are absent.
 */
export async function lockClaimedTimers(
  manager: EntityManager,
  ids: readonly string[],
  now: Date,
): Promise<Map<string, DueTimer>> {
  if (ids.length === 0) return new Map();
  const rows = (await manager.query(
    `SELECT "id", "kind", "key", "due_at", "payload", "attempts" FROM "escalations"."timer"
      WHERE "id" = ANY($1::uuid[]) AND "fired_at" IS NULL AND "due_at" <= $2
      ORDER BY "id"
      FOR UPDATE`,
    [[...ids], now],
  )) as TimerRow[];
  return new Map(rows.map((r) => [r.id, dueTimer(r)]));
}

/**
 * Claims due timers for this transaction, earliest first, passing over those a sweep holds (an unexpired lease) and
 * those another transaction has locked: never fired twice.
 */
export async function claimDueTimers(manager: EntityManager, now: Date, limit: number): Promise<DueTimer[]> {
  const rows = (await manager.query(
    `SELECT "id", "kind", "key", "due_at", "payload", "attempts" FROM "escalations"."timer"
      WHERE "fired_at" IS NULL AND "due_at" <= $1 AND ("claimed_until" IS NULL OR "claimed_until" <= $1)
      ORDER BY "due_at"
      LIMIT $2
      FOR UPDATE SKIP LOCKED`,
    [now, limit],
  )) as TimerRow[];
  return rows.map(dueTimer);
}

export async function markFired(manager: EntityManager, id: string, at: Date): Promise<void> {
  await manager.query(
    `UPDATE "escalations"."timer" SET "fired_at" = $2, "claimed_until" = NULL WHERE "id" = $1`,
    [id, at],
  );
}

/**
 * `markFired` and `rearmClaimedTimer` for a transaction's claimed timers with one statement: a timer with `rearm`
 * waits again until its `dueAt`, carrying its `payload`; every other is marked fired at `at`.
 */
export async function settleClaimedTimers(
  manager: EntityManager,
  timers: readonly {
    readonly id: string;
    readonly rearm?: { readonly dueAt: Date; readonly payload: object } | undefined;
  }[],
  at: Date,
): Promise<void> {
  if (timers.length === 0) return;
  await manager.query(
    `UPDATE "escalations"."timer" AS t
        SET "fired_at" = CASE WHEN u."rearm" THEN t."fired_at" ELSE $4::timestamptz END,
            "due_at" = CASE WHEN u."rearm" THEN u."due_at" ELSE t."due_at" END,
            "payload" = CASE WHEN u."rearm" THEN u."payload" ELSE t."payload" END,
            "attempts" = CASE WHEN u."rearm" THEN 0 ELSE t."attempts" END,
            "last_error" = CASE WHEN u."rearm" THEN NULL ELSE t."last_error" END,
            "claimed_until" = NULL
       FROM (SELECT "id", "due_at", "payload", "due_at" IS NOT NULL AS "rearm"
               FROM unnest($1::uuid[], $2::timestamptz[], $3::jsonb[]) AS u("id", "due_at", "payload")) AS u
      WHERE t."id" = u."id"`,
    [
      timers.map((t) => t.id),
      timers.map((t) => t.rearm?.dueAt ?? null),
      timers.map((t) => (t.rearm ? JSON.stringify(t.rearm.payload) : null)),
      at,
    ],
  );
}

/** A timer whose work failed waits and tries again, with the error kept for operators. */
export async function postponeTimer(
  manager: EntityManager,
  id: string,
  until: Date,
  error: string,
): Promise<void> {
  await manager.query(
    `UPDATE "escalations"."timer"
        SET "due_at" = $2, "attempts" = "attempts" + 1, "last_error" = $3, "claimed_until" = NULL
      WHERE "id" = $1`,
    [id, until, error.slice(0, 2000)],
  );
}

/**
 * Locks cases' snapshots in case order (a batch of finding timers takes them before any escalation) and returns
 * them by case id, with the one statement; a case with no snapshot is absent.
 */
export async function lockCaseSnapshots(
  manager: EntityManager,
  caseIds: readonly string[],
): Promise<Map<string, CaseSnapshot>> {
  if (caseIds.length === 0) return new Map();
  const rows = (await manager.query(
    `SELECT "case_id", "snapshot" FROM "escalations"."case_snapshot" WHERE "case_id" = ANY($1::text[])
      ORDER BY "case_id" FOR UPDATE`,
    [[...new Set(caseIds)].sort()],
  )) as { case_id: string; snapshot: CaseSnapshot }[];
  return new Map(rows.map((r) => [r.case_id, r.snapshot]));
}
