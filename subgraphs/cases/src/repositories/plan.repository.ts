import { randomUUID } from 'node:crypto';
import type { PlanKind } from '@mash/schema';
import type { EntityManager } from 'typeorm';
import { planKey, type PlanActionRecord, type PlanRecord } from '../domain/plans';
import { SCHEMA } from '../entities/schema-name';

/** The reported plans of many cases and their actions, read once and written once (one upsert a table) per batch. */

export interface CasePlans {
  /** By `planKey`. */
  readonly plans: Map<string, PlanRecord>;
  /** The stored row id of each plan, by `planKey`. */
  readonly ids: Map<string, string>;
}

interface PlanRow {
  id: string;
  case_id: string;
  agency_id: string;
  ref: string;
  kind: PlanKind | null;
  started_at: Date | null;
  started_status_change_id: string | null;
  ended_at: Date | null;
  visit_frequency_days: number | null;
  last_seen_visit_at: Date | null;
  last_seen_visit_status_change_id: string | null;
}

interface ActionRow {
  plan_id: string;
  ref: string;
  description: string;
  status: 'open' | 'done';
  due_date: string | null;
  owner_agency_type: string | null;
  status_change_id: string;
  as_of: Date;
  done_at: Date | null;
}

const isoOrNull = (d: Date | null): string | null => (d ? d.toISOString() : null);

/** The reported plans (those with an agency reference) of each case, with their actions. */
export async function loadPlans(
  manager: EntityManager,
  caseIds: readonly string[],
): Promise<Map<string, CasePlans>> {
  if (caseIds.length === 0) return plansFromRows(caseIds, [], []);
  const plans = (await manager.query(
    `SELECT "id", "case_id", "agency_id", "ref", "kind", "started_at", "started_status_change_id", "ended_at",
            "visit_frequency_days", "last_seen_visit_at", "last_seen_visit_status_change_id"
       FROM "${SCHEMA}"."plan" WHERE "case_id" = ANY($1::uuid[]) AND "ref" IS NOT NULL`,
    [[...caseIds]],
  )) as PlanRow[];
  if (plans.length === 0) return plansFromRows(caseIds, [], []);
  const actions = (await manager.query(
    `SELECT "plan_id", "ref", "description", "status", "due_date"::text AS "due_date", "owner_agency_type",
            "status_change_id", "as_of", "done_at"
       FROM "${SCHEMA}"."plan_action" WHERE "plan_id" = ANY($1::uuid[]) AND "ref" IS NOT NULL
      ORDER BY "ref"`,
    [plans.map((p) => p.id)],
  )) as ActionRow[];
  return plansFromRows(caseIds, plans, actions);
}

/** The reported plans of each case with their actions, from their rows (actions in reference order). */
function plansFromRows(
  caseIds: readonly string[],
  plans: readonly PlanRow[],
  actions: readonly ActionRow[],
): Map<string, CasePlans> {
  const result = new Map(caseIds.map((id) => [id, { plans: new Map(), ids: new Map() } as CasePlans]));
  const actionsOf = new Map<string, PlanActionRecord[]>();
  for (const a of actions) {
    actionsOf.set(a.plan_id, [
      ...(actionsOf.get(a.plan_id) ?? []),
      {
        ref: a.ref,
        description: a.description,
        status: a.status,
        dueDate: a.due_date,
        ownerAgencyType: a.owner_agency_type,
        statusChangeId: a.status_change_id,
        asOf: a.as_of.toISOString(),
        doneAt: isoOrNull(a.done_at),
      },
    ]);
  }
  for (const p of plans) {
    const key = planKey(p.agency_id, p.ref);
    const target = result.get(p.case_id);
    if (!target) continue;
    target.ids.set(key, p.id);
    target.plans.set(key, {
      agencyId: p.agency_id,
      ref: p.ref,
      kind: p.kind,
      startedAt: isoOrNull(p.started_at),
      startedStatusChangeId: p.started_status_change_id,
      endedAt: isoOrNull(p.ended_at),
      visitFrequencyDays: p.visit_frequency_days,
      lastSeenVisitAt: isoOrNull(p.last_seen_visit_at),
      lastSeenVisitStatusChangeId: p.last_seen_visit_status_change_id,
      actions: actionsOf.get(p.id) ?? [],
    });
  }
  return result;
}

/**
 * Writes plans as they now stand with one upsert, and all their actions with another (an action is keyed by its
 * plan and reference). A plan without a stored id is given one.
 */
export async function savePlans(
  manager: EntityManager,
  rows: readonly { caseId: string; id: string | undefined; plan: PlanRecord }[],
): Promise<void> {
  if (rows.length === 0) return;
  const withIds = rows.map((r) => ({ ...r, id: r.id ?? randomUUID() }));
  const col = <T>(pick: (r: (typeof withIds)[number]) => T) => withIds.map(pick);
  await manager.query(
    `INSERT INTO "${SCHEMA}"."plan" ("id", "case_id", "agency_id", "ref", "kind", "started_at",
       "started_status_change_id", "ended_at", "visit_frequency_days", "last_seen_visit_at",
       "last_seen_visit_status_change_id")
     SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::timestamptz[],
                          $7::uuid[], $8::timestamptz[], $9::integer[], $10::timestamptz[], $11::uuid[])
     ON CONFLICT ("id") DO UPDATE SET
       "kind" = EXCLUDED."kind", "started_at" = EXCLUDED."started_at",
       "started_status_change_id" = EXCLUDED."started_status_change_id", "ended_at" = EXCLUDED."ended_at",
       "visit_frequency_days" = EXCLUDED."visit_frequency_days",
       "last_seen_visit_at" = EXCLUDED."last_seen_visit_at",
       "last_seen_visit_status_change_id" = EXCLUDED."last_seen_visit_status_change_id"`,
    [
      col((r) => r.id),
      col((r) => r.caseId),
      col((r) => r.plan.agencyId),
      col((r) => r.plan.ref),
      col((r) => r.plan.kind),
      col((r) => r.plan.startedAt),
      col((r) => r.plan.startedStatusChangeId),
      col((r) => r.plan.endedAt),
      col((r) => r.plan.visitFrequencyDays),
      col((r) => r.plan.lastSeenVisitAt),
      col((r) => r.plan.lastSeenVisitStatusChangeId),
    ],
  );
  const actions = withIds.flatMap((r) => r.plan.actions.map((action) => ({ planId: r.id, action })));
  if (actions.length === 0) return;
  const act = <T>(pick: (a: PlanActionRecord) => T) => actions.map((a) => pick(a.action));
  await manager.query(
    `INSERT INTO "${SCHEMA}"."plan_action" ("id", "plan_id", "ref", "description", "status", "due_date",
       "owner_agency_type", "status_change_id", "as_of", "done_at")
     SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::date[], $7::text[],
                          $8::uuid[], $9::timestamptz[], $10::timestamptz[])
     ON CONFLICT ("plan_id", "ref") DO UPDATE SET
       "description" = EXCLUDED."description", "status" = EXCLUDED."status", "due_date" = EXCLUDED."due_date",
       "owner_agency_type" = EXCLUDED."owner_agency_type", "status_change_id" = EXCLUDED."status_change_id",
       "as_of" = EXCLUDED."as_of", "done_at" = EXCLUDED."done_at"`,
    [
      actions.map(() => randomUUID()),
      actions.map((a) => a.planId),
      act((a) => a.ref),
      act((a) => a.description),
      act((a) => a.status),
      act((a) => a.dueDate),
      act((a) => a.ownerAgencyType),
      act((a) => a.statusChangeId),
      act((a) => a.asOf),
      act((a) => a.doneAt),
    ],
  );
}
