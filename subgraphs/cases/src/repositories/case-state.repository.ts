import type { StatusChangeMessage } from '@mash/schema';
import type { EntityManager } from 'typeorm';
import { stageRows, type StagingTable } from '@mash/service-kit';
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

/** Where `insertTimelineEntries` stages a run's changes (a temporary table of the session), in their order. */
const TIMELINE_STAGE: StagingTable = {
  name: 'status_change_in',
  columns: [
    { name: 'n', type: 'int4' },
    { name: 'id', type: 'text' },
    { name: 'case_id', type: 'text' },
    { name: 'agency_id', type: 'text' },
    { name: 'source', type: 'text' },
    { name: 'event_id', type: 'text' },
    { name: 'type', type: 'text' },
    { name: 'kind', type: 'text' },
    { name: 'facts', type: 'jsonb' },
    { name: 'summary', type: 'text' },
    { name: 'occurred_at', type: 'text' },
    { name: 'received_at', type: 'text' },
    { name: 'family', type: 'text' },
  ],
};

/** Where `savePositions` stages the positions a run moved (a temporary table of the session), in their order. */
const POSITION_STAGE: StagingTable = {
  name: 'agency_position_staged',
  columns: [
    { name: 'n', type: 'int4' },
    { name: 'case_id', type: 'text' },
    { name: 'agency_id', type: 'text' },
    { name: 'threshold', type: 'text' },
    { name: 'threshold_status_change_id', type: 'text' },
    { name: 'threshold_as_of', type: 'text' },
    { name: 'threshold_since', type: 'text' },
    { name: 'risk_level', type: 'text' },
    { name: 'risk_status_change_id', type: 'text' },
    { name: 'risk_as_of', type: 'text' },
    { name: 'risk_since', type: 'text' },
    { name: 'referral_outcome', type: 'text' },
    { name: 'referral_status_change_id', type: 'text' },
    { name: 'referral_as_of', type: 'text' },
    { name: 'referral_since', type: 'text' },
    { name: 'as_of', type: 'text' },
  ],
};

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

/**
 * Adds changes to their cases' timelines with one insert, in the order given; a change there already is skipped.
 * Returns each inserted change's `sequence` (its place in the order changes were applied), by status change id.
 */
export async function insertTimelineEntries(
  manager: EntityManager,
  entries: readonly { caseId: string; message: StatusChangeMessage }[],
): Promise<Map<string, number>> {
  if (entries.length === 0) return new Map();
  // The rows are staged with one binary COPY (each change's facts parsed once, into the column's jsonb), not sent as
  // one JSON document, which Postgres parsed whole when binding it and then took apart again row by row; nor as
  // twelve arrays, whose every element pg escapes in JavaScript. Ids and times go as text, cast here as before.
  await stageRows(
    manager,
    TIMELINE_STAGE,
    entries.map(({ caseId, message: m }, n) => [
      n,
      m.id,
      caseId,
      m.agencyId,
      m.source,
      m.eventId,
      m.type,
      m.kind,
      JSON.stringify(m.facts),
      m.summary ?? null,
      m.occurredAt,
      m.receivedAt,
      m.family ?? null,
    ]),
  );
  const inserted = (await manager.query(
    // Numbered in the order given (ORDER BY n), so one case's changes in a batch keep their order.
    `INSERT INTO "${SCHEMA}"."status_change"
       ("id", "case_id", "agency_id", "source", "event_id", "type", "kind", "facts", "summary", "occurred_at", "received_at",
        "family")
     SELECT e."id"::uuid, e."case_id"::uuid, e."agency_id"::uuid, e."source", e."event_id", e."type", e."kind",
            e."facts", e."summary", e."occurred_at"::timestamptz, e."received_at"::timestamptz, e."family"
       FROM pg_temp."${TIMELINE_STAGE.name}" e
      ORDER BY e."n"
     ON CONFLICT ("id") DO NOTHING
     RETURNING "id", "sequence"::text AS "sequence"`,
  )) as { id: string; sequence: string }[];
  return new Map(inserted.map((r) => [r.id, Number(r.sequence)]));
}

/** The involvements and positions of many cases, by case id. */
export async function loadCaseParts(
  manager: EntityManager,
  caseIds: readonly string[],
): Promise<Map<string, { involvements: InvolvementState[]; positions: AgencyPosition[] }>> {
  if (caseIds.length === 0) return caseParts(caseIds, [], []);
  const involvements = (await manager.query(
    `SELECT "case_id", ${INVOLVEMENT_COLUMNS} FROM "${SCHEMA}"."involvement" WHERE "case_id" = ANY($1::uuid[])`,
    [[...caseIds]],
  )) as CaseInvolvementRow[];
  const positions = (await manager.query(
    `SELECT "case_id", ${POSITION_COLUMNS} FROM "${SCHEMA}"."agency_position" WHERE "case_id" = ANY($1::uuid[])`,
    [[...caseIds]],
  )) as CasePositionRow[];
  return caseParts(caseIds, involvements, positions);
}

type CaseInvolvementRow = InvolvementRow & { case_id: string };
type CasePositionRow = PositionRow & { case_id: string };

/** The involvements and positions of many cases, by case id, from their rows. */
function caseParts(
  caseIds: readonly string[],
  involvements: readonly CaseInvolvementRow[],
  positions: readonly CasePositionRow[],
): Map<string, { involvements: InvolvementState[]; positions: AgencyPosition[] }> {
  const parts = new Map(
    caseIds.map((id) => [id, { involvements: [] as InvolvementState[], positions: [] as AgencyPosition[] }]),
  );
  for (const row of involvements) parts.get(row.case_id)?.involvements.push(involvementFromRow(row));
  for (const row of positions) parts.get(row.case_id)?.positions.push(positionFromRow(row));
  return parts;
}

/**
 * The case a status change is on and each subject's open case, with one statement: `onTimeline` by status change
 * id, `openCases` by subject id.
 */
export async function findTimelineAndOpenCases(
  manager: EntityManager,
  statusChangeIds: readonly string[],
  subjects: readonly { subjectId: string; partnershipId: string }[],
): Promise<{ onTimeline: Map<string, string>; openCases: Map<string, string> }> {
  const rows = (await manager.query(
    `SELECT 'timeline' AS "part", "id"::text AS "id", "case_id" FROM "${SCHEMA}"."status_change"
      WHERE "id" = ANY($1::uuid[])
     UNION ALL
     SELECT 'open', "subject_id"::text, "id" FROM "${SCHEMA}"."case"
      WHERE "status" = 'open' AND ("subject_id", "partnership_id") IN
            (SELECT * FROM unnest($2::uuid[], $3::uuid[]))`,
    [[...statusChangeIds], subjects.map((s) => s.subjectId), subjects.map((s) => s.partnershipId)],
  )) as { part: 'timeline' | 'open'; id: string; case_id: string }[];
  const onTimeline = new Map<string, string>();
  const openCases = new Map<string, string>();
  for (const r of rows) (r.part === 'timeline' ? onTimeline : openCases).set(r.id, r.case_id);
  return { onTimeline, openCases };
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
  // Staged with one binary COPY, as `insertTimelineEntries` (no array element escaped by pg, no JSON document
  // parsed whole by Postgres); ids and times as text, cast here.
  await stageRows(
    manager,
    POSITION_STAGE,
    rows.map(({ caseId, position: p }, n) => [
      n,
      caseId,
      p.agencyId,
      p.threshold ?? null,
      p.thresholdStatusChangeId ?? null,
      p.thresholdAsOf ?? null,
      p.thresholdSince ?? null,
      p.riskLevel ?? null,
      p.riskStatusChangeId ?? null,
      p.riskAsOf ?? null,
      p.riskSince ?? null,
      p.referralOutcome ?? null,
      p.referralStatusChangeId ?? null,
      p.referralAsOf ?? null,
      p.referralSince ?? null,
      p.asOf ?? null,
    ]),
  );
  await manager.query(
    `INSERT INTO "${SCHEMA}"."agency_position" ("case_id", ${POSITION_COLUMNS})
     SELECT r."case_id"::uuid, r."agency_id"::uuid, r."threshold", r."threshold_status_change_id"::uuid,
            r."threshold_as_of"::timestamptz, r."threshold_since"::timestamptz, r."risk_level",
            r."risk_status_change_id"::uuid, r."risk_as_of"::timestamptz, r."risk_since"::timestamptz,
            r."referral_outcome", r."referral_status_change_id"::uuid, r."referral_as_of"::timestamptz,
            r."referral_since"::timestamptz, r."as_of"::timestamptz
       FROM pg_temp."${POSITION_STAGE.name}" r
      ORDER BY r."n"
     ON CONFLICT ("case_id", "agency_id") DO UPDATE SET
       "threshold" = EXCLUDED."threshold", "threshold_status_change_id" = EXCLUDED."threshold_status_change_id",
       "threshold_as_of" = EXCLUDED."threshold_as_of", "threshold_since" = EXCLUDED."threshold_since",
       "risk_level" = EXCLUDED."risk_level", "risk_status_change_id" = EXCLUDED."risk_status_change_id",
       "risk_as_of" = EXCLUDED."risk_as_of", "risk_since" = EXCLUDED."risk_since",
       "referral_outcome" = EXCLUDED."referral_outcome",
       "referral_status_change_id" = EXCLUDED."referral_status_change_id",
       "referral_as_of" = EXCLUDED."referral_as_of", "referral_since" = EXCLUDED."referral_since",
       "as_of" = EXCLUDED."as_of"`,
  );
}
