import type { EntityManager } from 'typeorm';
import type { SettledEvidence } from '../domain/finding-decision';
import type { EscalationState, EscalationTransition } from '../domain/model';
import { EscalationTransitionEntity } from '../entities/escalation-transition.entity';
import { EscalationEntity } from '../entities/escalation.entity';

/** Persistence of escalations, their evidence and their history. Every function runs in the caller's manager. */

export interface OpenEscalationKey {
  readonly caseId: string;
  readonly ground: string;
  readonly raisingAgencyId: string;
  readonly receivingAgencyId: string;
}

/** The open escalation for this case, ground and pair of agencies, locked for the rest of the transaction. */
export async function findOpenEscalation(
  manager: EntityManager,
  key: OpenEscalationKey,
): Promise<EscalationEntity | null> {
  return manager
    .getRepository(EscalationEntity)
    .createQueryBuilder('e')
    .where('e.caseId = :caseId AND e.ground = :ground', key)
    .andWhere('e.raisingAgencyId = :raisingAgencyId AND e.receivingAgencyId = :receivingAgencyId', key)
    .andWhere("e.status NOT IN ('RESOLVED', 'REDIRECTED')")
    .setLock('pessimistic_write')
    .getOne();
}

/**
 * Status change ids held by closed (resolved or redirected) escalations for this case, ground and pair of agencies, each with the latest
 * time an escalation holding it was resolved (domain/finding-decision.ts decides what they settle).
 */
export async function settledEvidence(
  manager: EntityManager,
  key: OpenEscalationKey,
): Promise<SettledEvidence[]> {
  const rows = (await manager.query(
    `SELECT ev."status_change_id" AS "id", max(e."resolved_at") AS "resolved_at"
       FROM "escalations"."escalation_evidence" ev
       JOIN "escalations"."escalation" e ON e."id" = ev."escalation_id"
      WHERE e."case_id" = $1 AND e."ground" = $2 AND e."raising_agency_id" = $3 AND e."receiving_agency_id" = $4
        AND e."status" IN ('RESOLVED', 'REDIRECTED') AND e."resolved_at" IS NOT NULL
      GROUP BY ev."status_change_id"`,
    [key.caseId, key.ground, key.raisingAgencyId, key.receivingAgencyId],
  )) as { id: string; resolved_at: Date }[];
  return rows.map((r) => ({ statusChangeId: r.id, resolvedAt: r.resolved_at }));
}

/** The string a lookup of `findOpenEscalations` or `settledEvidenceOf` is keyed by. */
export function openEscalationKey(key: OpenEscalationKey): string {
  return `${key.caseId}|${key.ground}|${key.raisingAgencyId}|${key.receivingAgencyId}`;
}

/** `findOpenEscalation` for many keys with one statement (locked in id order), by `openEscalationKey`. */
export async function findOpenEscalations(
  manager: EntityManager,
  keys: readonly OpenEscalationKey[],
): Promise<Map<string, EscalationEntity>> {
  if (keys.length === 0) return new Map();
  const rows = await manager
    .getRepository(EscalationEntity)
    .createQueryBuilder('e')
    .where(
      `(e.caseId, e.ground, e.raisingAgencyId, e.receivingAgencyId) IN (SELECT * FROM unnest(
         CAST(:caseIds AS text[]), CAST(:grounds AS text[]), CAST(:raising AS text[]), CAST(:receiving AS text[])))`,
      {
        caseIds: keys.map((k) => k.caseId),
        grounds: keys.map((k) => k.ground),
        raising: keys.map((k) => k.raisingAgencyId),
        receiving: keys.map((k) => k.receivingAgencyId),
      },
    )
    .andWhere("e.status NOT IN ('RESOLVED', 'REDIRECTED')")
    .orderBy('e.id')
    .setLock('pessimistic_write')
    .getMany();
  return new Map(rows.map((e) => [openEscalationKey(e), e]));
}

/** `settledEvidence` for many keys with one statement, by `openEscalationKey` (a key with none is absent). */
export async function settledEvidenceOf(
  manager: EntityManager,
  keys: readonly OpenEscalationKey[],
): Promise<Map<string, SettledEvidence[]>> {
  const settled = new Map<string, SettledEvidence[]>();
  if (keys.length === 0) return settled;
  const rows = (await manager.query(
    `SELECT e."case_id", e."ground", e."raising_agency_id", e."receiving_agency_id",
            ev."status_change_id" AS "id", max(e."resolved_at") AS "resolved_at"
       FROM "escalations"."escalation_evidence" ev
       JOIN "escalations"."escalation" e ON e."id" = ev."escalation_id"
      WHERE (e."case_id", e."ground", e."raising_agency_id", e."receiving_agency_id") IN
            (SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]))
        AND e."status" IN ('RESOLVED', 'REDIRECTED') AND e."resolved_at" IS NOT NULL
      GROUP BY e."case_id", e."ground", e."raising_agency_id", e."receiving_agency_id", ev."status_change_id"`,
    [
      keys.map((k) => k.caseId),
      keys.map((k) => k.ground),
      keys.map((k) => k.raisingAgencyId),
      keys.map((k) => k.receivingAgencyId),
    ],
  )) as {
    case_id: string;
    ground: string;
    raising_agency_id: string;
    receiving_agency_id: string;
    id: string;
    resolved_at: Date;
  }[];
  for (const r of rows) {
    const k = openEscalationKey({
      caseId: r.case_id,
      ground: r.ground,
      raisingAgencyId: r.raising_agency_id,
      receivingAgencyId: r.receiving_agency_id,
    });
    settled.set(k, [...(settled.get(k) ?? []), { statusChangeId: r.id, resolvedAt: r.resolved_at }]);
  }
  return settled;
}

export async function lockEscalation(manager: EntityManager, id: string): Promise<EscalationEntity | null> {
  return manager
    .getRepository(EscalationEntity)
    .findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
}

/**
 * Inserts a new open escalation. False when another open one for the same case, ground and agencies won the
 * race (the partial unique index): nothing is written then.
 */
export async function insertEscalation(manager: EntityManager, e: EscalationState): Promise<boolean> {
  const rows = (await manager.query(
    `INSERT INTO "escalations"."escalation" ("id", "case_id", "partnership_id", "ground", "raising_agency_id",
       "receiving_agency_id", "stage", "status", "stage_started_at", "stage_deadline", "stage_owner_roles",
       "auto_raised", "immediate_risk", "raised_at", "raised_by", "resolved_at", "outcome", "outstanding_issues",
       "redirect_route")
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)
     ON CONFLICT ("case_id", "ground", "raising_agency_id", "receiving_agency_id")
       WHERE "status" NOT IN ('RESOLVED', 'REDIRECTED')
     DO NOTHING
     RETURNING "id"`,
    [
      e.id,
      e.caseId,
      e.partnershipId,
      e.ground,
      e.raisingAgencyId,
      e.receivingAgencyId,
      e.stage,
      e.status,
      e.stageStartedAt,
      e.stageDeadline,
      [...e.stageOwnerRoles],
      e.autoRaised,
      e.immediateRisk,
      e.raisedAt,
      e.raisedBy,
      e.resolvedAt,
      e.outcome,
      e.outstandingIssues,
      e.redirectRoute,
    ],
  )) as unknown[];
  return rows.length === 1;
}

/**
 * `insertEscalation` for many with one statement (in the given order): returns the ids inserted. An escalation
 * whose case, ground and agencies already have an open one (the partial unique index) is not written.
 */
export async function insertEscalations(
  manager: EntityManager,
  escalations: readonly EscalationState[],
): Promise<Set<string>> {
  if (escalations.length === 0) return new Set();
  const rows = (await manager.query(
    // The rows as one JSON document of the table's columns, as the outbox does (no array of arrays for unnest).
    `INSERT INTO "escalations"."escalation" ("id", "case_id", "partnership_id", "ground", "raising_agency_id",
       "receiving_agency_id", "stage", "status", "stage_started_at", "stage_deadline", "stage_owner_roles",
       "auto_raised", "immediate_risk", "raised_at", "raised_by", "resolved_at", "outcome", "outstanding_issues",
       "redirect_route")
     SELECT r."id", r."case_id", r."partnership_id", r."ground", r."raising_agency_id", r."receiving_agency_id",
            r."stage", r."status", r."stage_started_at", r."stage_deadline", r."stage_owner_roles", r."auto_raised",
            r."immediate_risk", r."raised_at", r."raised_by", r."resolved_at", r."outcome", r."outstanding_issues",
            r."redirect_route"
       FROM json_array_elements($1::json) WITH ORDINALITY AS a("e", "n"),
            json_populate_record(NULL::"escalations"."escalation", a."e") AS r
      ORDER BY a."n"
     ON CONFLICT ("case_id", "ground", "raising_agency_id", "receiving_agency_id")
       WHERE "status" NOT IN ('RESOLVED', 'REDIRECTED')
     DO NOTHING
     RETURNING "id"`,
    [
      JSON.stringify(
        escalations.map((e) => ({
          id: e.id,
          case_id: e.caseId,
          partnership_id: e.partnershipId,
          ground: e.ground,
          raising_agency_id: e.raisingAgencyId,
          receiving_agency_id: e.receivingAgencyId,
          stage: e.stage,
          status: e.status,
          stage_started_at: e.stageStartedAt,
          stage_deadline: e.stageDeadline,
          stage_owner_roles: [...e.stageOwnerRoles],
          auto_raised: e.autoRaised,
          immediate_risk: e.immediateRisk,
          raised_at: e.raisedAt,
          raised_by: e.raisedBy,
          resolved_at: e.resolvedAt,
          outcome: e.outcome,
          outstanding_issues: e.outstandingIssues,
          redirect_route: e.redirectRoute,
        })),
      ),
    ],
  )) as { id: string }[];
  return new Set(rows.map((r) => r.id));
}

/** Writes the moving parts of an escalation's state (stage, status, clocks, outcome, route). */
export async function updateEscalation(manager: EntityManager, e: EscalationState): Promise<void> {
  await manager.getRepository(EscalationEntity).update(
    { id: e.id },
    {
      stage: e.stage,
      status: e.status,
      stageStartedAt: e.stageStartedAt,
      stageDeadline: e.stageDeadline,
      stageOwnerRoles: [...e.stageOwnerRoles],
      resolvedAt: e.resolvedAt,
      outcome: e.outcome,
      outstandingIssues: e.outstandingIssues,
      redirectRoute: e.redirectRoute,
    },
  );
}

/** Adds evidence; returns the status change ids that were new (replays add nothing). */
export async function addEvidenceRows(
  manager: EntityManager,
  escalationId: string,
  statusChangeIds: readonly string[],
  at: Date,
): Promise<string[]> {
  if (statusChangeIds.length === 0) return [];
  const rows = (await manager.query(
    `INSERT INTO "escalations"."escalation_evidence" ("escalation_id", "status_change_id", "added_at")
     SELECT $1, unnest($2::text[]), $3
     ON CONFLICT DO NOTHING
     RETURNING "status_change_id" AS "id"`,
    [escalationId, [...new Set(statusChangeIds)], at],
  )) as { id: string }[];
  return rows.map((r) => r.id);
}

/**
 * `addEvidenceRows` for many escalations with one statement: returns the rows that were new, as
 * `<escalation id>|<status change id>` (replays add nothing). The rows must be distinct.
 */
export async function addEvidenceRowsOf(
  manager: EntityManager,
  rows: readonly { readonly escalationId: string; readonly statusChangeId: string }[],
  at: Date,
): Promise<Set<string>> {
  if (rows.length === 0) return new Set();
  const added = (await manager.query(
    `INSERT INTO "escalations"."escalation_evidence" ("escalation_id", "status_change_id", "added_at")
     SELECT "e", "s", $3 FROM unnest($1::uuid[], $2::text[]) AS u("e", "s")
     ON CONFLICT DO NOTHING
     RETURNING "escalation_id" AS "e", "status_change_id" AS "s"`,
    [rows.map((r) => r.escalationId), rows.map((r) => r.statusChangeId), at],
  )) as { e: string; s: string }[];
  return new Set(added.map((r) => `${r.e}|${r.s}`));
}

/** `appendTransition` for many with one statement, in the given order. */
export async function appendTransitions(
  manager: EntityManager,
  transitions: readonly { readonly escalationId: string; readonly transition: EscalationTransition }[],
): Promise<void> {
  if (transitions.length === 0) return;
  await manager
    .getRepository(EscalationTransitionEntity)
    .insert(transitions.map(({ escalationId, transition }) => ({ escalationId, ...transition })));
}

export async function appendTransition(
  manager: EntityManager,
  escalationId: string,
  t: EscalationTransition,
): Promise<void> {
  await manager.getRepository(EscalationTransitionEntity).insert({ escalationId, ...t });
}

/** The state machine's view of a stored escalation. */
export function toState(row: EscalationEntity, evidence: readonly string[] = []): EscalationState {
  return {
    id: row.id,
    caseId: row.caseId,
    partnershipId: row.partnershipId,
    ground: row.ground,
    raisingAgencyId: row.raisingAgencyId,
    receivingAgencyId: row.receivingAgencyId,
    stage: row.stage,
    status: row.status,
    stageStartedAt: row.stageStartedAt,
    stageDeadline: row.stageDeadline,
    stageOwnerRoles: row.stageOwnerRoles,
    autoRaised: row.autoRaised,
    immediateRisk: row.immediateRisk,
    raisedAt: row.raisedAt,
    raisedBy: row.raisedBy,
    resolvedAt: row.resolvedAt,
    outcome: row.outcome,
    outstandingIssues: row.outstandingIssues,
    redirectRoute: row.redirectRoute,
    evidence,
  };
}

/** A stored-row view of a state, for answering GraphQL after a write. */
export function toEntity(state: EscalationState): EscalationEntity {
  const row = new EscalationEntity();
  Object.assign(row, {
    id: state.id,
    caseId: state.caseId,
    partnershipId: state.partnershipId,
    ground: state.ground,
    raisingAgencyId: state.raisingAgencyId,
    receivingAgencyId: state.receivingAgencyId,
    stage: state.stage,
    status: state.status,
    stageStartedAt: state.stageStartedAt,
    stageDeadline: state.stageDeadline,
    stageOwnerRoles: [...state.stageOwnerRoles],
    autoRaised: state.autoRaised,
    immediateRisk: state.immediateRisk,
    raisedAt: state.raisedAt,
    raisedBy: state.raisedBy,
    resolvedAt: state.resolvedAt,
    outcome: state.outcome,
    outstandingIssues: state.outstandingIssues,
    redirectRoute: state.redirectRoute,
  });
  return row;
}
