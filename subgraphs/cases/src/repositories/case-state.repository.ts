import type { StatusChangeMessage } from '@mash/schema';
import type { EntityManager } from 'typeorm';
import type { AgencyPosition, InvolvementState } from '../domain/positions';
import { SCHEMA } from '../entities/schema-name';

/** The state of a case that a status change moves: the case row, its timeline, involvements and positions. */

interface InvolvementRow {
  agency_id: string;
  local_reference: string | null;
  open: boolean;
  since: Date;
  open_as_of: Date;
}

interface PositionRow {
  agency_id: string;
  threshold: AgencyPosition['threshold'];
  threshold_status_change_id: string | null;
  threshold_as_of: Date | null;
  threshold_since: Date | null;
  risk_level: AgencyPosition['riskLevel'];
  risk_status_change_id: string | null;
  risk_as_of: Date | null;
  risk_since: Date | null;
  referral_outcome: AgencyPosition['referralOutcome'];
  referral_status_change_id: string | null;
  referral_as_of: Date | null;
  referral_since: Date | null;
  as_of: Date;
}

const isoOrNull = (d: Date | null): string | null => (d ? d.toISOString() : null);

function involvementFromRow(row: InvolvementRow): InvolvementState {
  return {
    agencyId: row.agency_id,
    localReference: row.local_reference,
    open: row.open,
    since: row.since.toISOString(),
    openAsOf: row.open_as_of.toISOString(),
  };
}

function positionFromRow(row: PositionRow): AgencyPosition {
  return {
    agencyId: row.agency_id,
    threshold: row.threshold,
    thresholdStatusChangeId: row.threshold_status_change_id,
    thresholdAsOf: isoOrNull(row.threshold_as_of),
    thresholdSince: isoOrNull(row.threshold_since),
    riskLevel: row.risk_level,
    riskStatusChangeId: row.risk_status_change_id,
    riskAsOf: isoOrNull(row.risk_as_of),
    riskSince: isoOrNull(row.risk_since),
    referralOutcome: row.referral_outcome,
    referralStatusChangeId: row.referral_status_change_id,
    referralAsOf: isoOrNull(row.referral_as_of),
    referralSince: isoOrNull(row.referral_since),
    asOf: row.as_of.toISOString(),
  };
}

const INVOLVEMENT_COLUMNS = `"agency_id", "local_reference", "open", "since", "open_as_of"`;
const POSITION_COLUMNS = `"agency_id", "threshold", "threshold_status_change_id", "threshold_as_of", "threshold_since",
  "risk_level", "risk_status_change_id", "risk_as_of", "risk_since", "referral_outcome", "referral_status_change_id",
  "referral_as_of", "referral_since", "as_of"`;

/** The case a status change belongs to, if it is on a timeline. */
export async function caseOfStatusChange(manager: EntityManager, id: string): Promise<string | undefined> {
  const rows = (await manager.query(`SELECT "case_id" FROM "${SCHEMA}"."status_change" WHERE "id" = $1`, [
    id,
  ])) as { case_id: string }[];
  return rows[0]?.case_id;
}

// Set-based: a batch of status changes is applied in one transaction (a single change is a batch of one).

/** The open case of each subject (in its partnership), by subject id. */
export async function findOpenCaseIds(
  manager: EntityManager,
  subjects: readonly { subjectId: string; partnershipId: string }[],
): Promise<Map<string, string>> {
  if (subjects.length === 0) return new Map();
  const rows = (await manager.query(
    `SELECT "id", "subject_id" FROM "${SCHEMA}"."case"
      WHERE "status" = 'open' AND ("subject_id", "partnership_id") IN
            (SELECT * FROM unnest($1::uuid[], $2::uuid[]))`,
    [subjects.map((s) => s.subjectId), subjects.map((s) => s.partnershipId)],
  )) as { id: string; subject_id: string }[];
  return new Map(rows.map((r) => [r.subject_id, r.id]));
}

/** The case of each status change already on a timeline, by status change id. */
export async function casesOfStatusChanges(
  manager: EntityManager,
  ids: readonly string[],
): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = (await manager.query(
    `SELECT "id", "case_id" FROM "${SCHEMA}"."status_change" WHERE "id" = ANY($1::uuid[])`,
    [[...ids]],
  )) as { id: string; case_id: string }[];
  return new Map(rows.map((r) => [r.id, r.case_id]));
}

export async function insertCases(
  manager: EntityManager,
  cases: readonly { id: string; subjectId: string; partnershipId: string; openedAt: string }[],
): Promise<void> {
  if (cases.length === 0) return;
  await manager.query(
    `INSERT INTO "${SCHEMA}"."case" ("id", "subject_id", "partnership_id", "status", "opened_at")
     SELECT "id", "subject_id", "partnership_id", 'open', "opened_at"
       FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::timestamptz[])
            AS c("id", "subject_id", "partnership_id", "opened_at")`,
    [
      cases.map((c) => c.id),
      cases.map((c) => c.subjectId),
      cases.map((c) => c.partnershipId),
      cases.map((c) => c.openedAt),
    ],
  );
}

/** Adds changes to their cases' timelines with one insert; a change there already is skipped. */
export async function insertTimelineEntries(
  manager: EntityManager,
  entries: readonly { caseId: string; message: StatusChangeMessage }[],
): Promise<void> {
  if (entries.length === 0) return;
  const col = <T>(pick: (e: { caseId: string; message: StatusChangeMessage }) => T) => entries.map(pick);
  await manager.query(
    `INSERT INTO "${SCHEMA}"."status_change"
       ("id", "case_id", "agency_id", "source", "event_id", "type", "kind", "facts", "summary", "occurred_at", "received_at",
        "family")
     SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::text[],
                          $8::jsonb[], $9::text[], $10::timestamptz[], $11::timestamptz[], $12::text[])
     ON CONFLICT ("id") DO NOTHING`,
    [
      col((e) => e.message.id),
      col((e) => e.caseId),
      col((e) => e.message.agencyId),
      col((e) => e.message.source),
      col((e) => e.message.eventId),
      col((e) => e.message.type),
      col((e) => e.message.kind),
      col((e) => JSON.stringify(e.message.facts)),
      col((e) => e.message.summary),
      col((e) => e.message.occurredAt),
      col((e) => e.message.receivedAt),
      col((e) => e.message.family),
    ],
  );
}

/** The involvements and positions of many cases, by case id. */
export async function loadCaseParts(
  manager: EntityManager,
  caseIds: readonly string[],
): Promise<Map<string, { involvements: InvolvementState[]; positions: AgencyPosition[] }>> {
  const parts = new Map(
    caseIds.map((id) => [id, { involvements: [] as InvolvementState[], positions: [] as AgencyPosition[] }]),
  );
  if (caseIds.length === 0) return parts;
  const involvements = (await manager.query(
    `SELECT "case_id", ${INVOLVEMENT_COLUMNS} FROM "${SCHEMA}"."involvement" WHERE "case_id" = ANY($1::uuid[])`,
    [[...caseIds]],
  )) as (InvolvementRow & { case_id: string })[];
  for (const row of involvements) parts.get(row.case_id)?.involvements.push(involvementFromRow(row));
  const positions = (await manager.query(
    `SELECT "case_id", ${POSITION_COLUMNS} FROM "${SCHEMA}"."agency_position" WHERE "case_id" = ANY($1::uuid[])`,
    [[...caseIds]],
  )) as (PositionRow & { case_id: string })[];
  for (const row of positions) parts.get(row.case_id)?.positions.push(positionFromRow(row));
  return parts;
}

/** `saveInvolvement` for many, with one upsert. */
export async function saveInvolvements(
  manager: EntityManager,
  rows: readonly { caseId: string; involvement: InvolvementState }[],
): Promise<void> {
  if (rows.length === 0) return;
  await manager.query(
    `INSERT INTO "${SCHEMA}"."involvement" ("case_id", ${INVOLVEMENT_COLUMNS})
     SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::boolean[], $5::timestamptz[], $6::timestamptz[])
     ON CONFLICT ("case_id", "agency_id") DO UPDATE SET
       "local_reference" = EXCLUDED."local_reference", "open" = EXCLUDED."open",
       "since" = EXCLUDED."since", "open_as_of" = EXCLUDED."open_as_of"`,
    [
      rows.map((r) => r.caseId),
      rows.map((r) => r.involvement.agencyId),
      rows.map((r) => r.involvement.localReference),
      rows.map((r) => r.involvement.open),
      rows.map((r) => r.involvement.since),
      rows.map((r) => r.involvement.openAsOf),
    ],
  );
}

/** `savePosition` for many, with one upsert. */
export async function savePositions(
  manager: EntityManager,
  rows: readonly { caseId: string; position: AgencyPosition }[],
): Promise<void> {
  if (rows.length === 0) return;
  const col = <T>(pick: (p: AgencyPosition) => T) => rows.map((r) => pick(r.position));
  await manager.query(
    `INSERT INTO "${SCHEMA}"."agency_position" ("case_id", ${POSITION_COLUMNS})
     SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::uuid[], $5::timestamptz[], $6::timestamptz[],
                          $7::text[], $8::uuid[], $9::timestamptz[], $10::timestamptz[], $11::text[], $12::uuid[],
                          $13::timestamptz[], $14::timestamptz[], $15::timestamptz[])
     ON CONFLICT ("case_id", "agency_id") DO UPDATE SET
       "threshold" = EXCLUDED."threshold", "threshold_status_change_id" = EXCLUDED."threshold_status_change_id",
       "threshold_as_of" = EXCLUDED."threshold_as_of", "threshold_since" = EXCLUDED."threshold_since",
       "risk_level" = EXCLUDED."risk_level", "risk_status_change_id" = EXCLUDED."risk_status_change_id",
       "risk_as_of" = EXCLUDED."risk_as_of", "risk_since" = EXCLUDED."risk_since",
       "referral_outcome" = EXCLUDED."referral_outcome",
       "referral_status_change_id" = EXCLUDED."referral_status_change_id",
       "referral_as_of" = EXCLUDED."referral_as_of", "referral_since" = EXCLUDED."referral_since",
       "as_of" = EXCLUDED."as_of"`,
    [
      rows.map((r) => r.caseId),
      col((p) => p.agencyId),
      col((p) => p.threshold),
      col((p) => p.thresholdStatusChangeId),
      col((p) => p.thresholdAsOf),
      col((p) => p.thresholdSince),
      col((p) => p.riskLevel),
      col((p) => p.riskStatusChangeId),
      col((p) => p.riskAsOf),
      col((p) => p.riskSince),
      col((p) => p.referralOutcome),
      col((p) => p.referralStatusChangeId),
      col((p) => p.referralAsOf),
      col((p) => p.referralSince),
      col((p) => p.asOf),
    ],
  );
}
