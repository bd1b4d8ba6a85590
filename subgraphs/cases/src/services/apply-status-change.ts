import { randomUUID } from 'node:crypto';
import { enqueueOutbox } from '@mash/kafka';
import type { CaseEventMessage, IdentifierSystem, StatusChangeMessage } from '@mash/schema';
import type { EntityManager } from 'typeorm';
import {
  applyStatusChange,
  involvementAfter,
  type AgencyPosition,
  type InvolvementState,
} from '../domain/positions';
import { buildSnapshot } from '../domain/snapshot';
import { SCHEMA } from './schema-name';

/**
 * The steps of matching a status change to a case, each inside the caller's transaction. The consumer and the
 * linking mutations both go through `applyMatchedStatusChange`, so a linked change is processed exactly as a
 * matched one would have been.
 */
export interface IdentifierKey {
  readonly partnershipId: string;
  readonly system: IdentifierSystem | string;
  readonly value: string;
}

export type MatchedOutcome =
  | { readonly outcome: 'applied'; readonly caseId: string }
  | { readonly outcome: 'replay'; readonly caseId: string };

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

/** Keeps a change that matched no subject for a person to link; a replay of it changes nothing. */
export async function recordUnmatched(manager: EntityManager, message: StatusChangeMessage): Promise<void> {
  await manager.query(
    `INSERT INTO "${SCHEMA}"."unmatched_status_change"
       ("id", "partnership_id", "agency_id", "identifier_system", "identifier_value", "message", "received_at")
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT ("id") DO NOTHING`,
    [
      message.id,
      message.partnershipId,
      message.agencyId,
      message.subject.system,
      message.subject.value,
      JSON.stringify(message),
      message.receivedAt,
    ],
  );
}

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

/**
 * Applies a change to the subject's open case (opening one when there is none): the timeline row, the agency's
 * involvement and position, and the case event in the outbox. The timeline row's unique id makes a replay a no-op:
 * its case event was committed with it the first time.
 */
export async function applyMatchedStatusChange(
  manager: EntityManager,
  subjectId: string,
  message: StatusChangeMessage,
  caseEventsTopic: string,
): Promise<MatchedOutcome> {
  // One subject's changes are applied one at a time, whichever partition or instance they arrive on.
  const subjects = (await manager.query(`SELECT "id" FROM "${SCHEMA}"."subject" WHERE "id" = $1 FOR UPDATE`, [
    subjectId,
  ])) as { id: string }[];
  if (subjects.length === 0) throw new Error(`subject ${subjectId} does not exist`);

  const open = (await manager.query(
    `SELECT "id" FROM "${SCHEMA}"."case" WHERE "subject_id" = $1 AND "partnership_id" = $2 AND "status" = 'open'`,
    [subjectId, message.partnershipId],
  )) as { id: string }[];
  const caseId = open[0]?.id ?? randomUUID();

  const inserted = (await manager.query(
    `INSERT INTO "${SCHEMA}"."status_change"
       ("id", "case_id", "agency_id", "source", "event_id", "type", "kind", "facts", "summary", "occurred_at", "received_at")
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
     ON CONFLICT ("id") DO NOTHING
     RETURNING "id"`,
    [
      message.id,
      caseId,
      message.agencyId,
      message.source,
      message.eventId,
      message.type,
      message.kind,
      JSON.stringify(message.facts),
      message.summary,
      message.occurredAt,
      message.receivedAt,
    ],
  )) as { id: string }[];
  if (inserted.length === 0) {
    const prior = (await manager.query(`SELECT "case_id" FROM "${SCHEMA}"."status_change" WHERE "id" = $1`, [
      message.id,
    ])) as { case_id: string }[];
    return { outcome: 'replay', caseId: prior[0]?.case_id ?? caseId };
  }

  if (open.length === 0) {
    await manager.query(
      `INSERT INTO "${SCHEMA}"."case" ("id", "subject_id", "partnership_id", "status", "opened_at")
       VALUES ($1, $2, $3, 'open', $4)`,
      [caseId, subjectId, message.partnershipId, message.occurredAt],
    );
  }

  const [currentInvolvement] = (await manager.query(
    `SELECT ${INVOLVEMENT_COLUMNS} FROM "${SCHEMA}"."involvement" WHERE "case_id" = $1 AND "agency_id" = $2`,
    [caseId, message.agencyId],
  )) as InvolvementRow[];
  const involvement = involvementAfter(message, currentInvolvement && involvementFromRow(currentInvolvement));
  await manager.query(
    `INSERT INTO "${SCHEMA}"."involvement" ("case_id", ${INVOLVEMENT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT ("case_id", "agency_id") DO UPDATE SET
       "local_reference" = EXCLUDED."local_reference", "open" = EXCLUDED."open",
       "since" = EXCLUDED."since", "open_as_of" = EXCLUDED."open_as_of"`,
    [
      caseId,
      involvement.agencyId,
      involvement.localReference,
      involvement.open,
      involvement.since,
      involvement.openAsOf,
    ],
  );

  const [currentPosition] = (await manager.query(
    `SELECT ${POSITION_COLUMNS} FROM "${SCHEMA}"."agency_position" WHERE "case_id" = $1 AND "agency_id" = $2`,
    [caseId, message.agencyId],
  )) as PositionRow[];
  const p = applyStatusChange(currentPosition && positionFromRow(currentPosition), message);
  await manager.query(
    `INSERT INTO "${SCHEMA}"."agency_position" ("case_id", ${POSITION_COLUMNS})
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
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
      caseId,
      p.agencyId,
      p.threshold,
      p.thresholdStatusChangeId,
      p.thresholdAsOf,
      p.thresholdSince,
      p.riskLevel,
      p.riskStatusChangeId,
      p.riskAsOf,
      p.riskSince,
      p.referralOutcome,
      p.referralStatusChangeId,
      p.referralAsOf,
      p.referralSince,
      p.asOf,
    ],
  );

  const [header] = (await manager.query(
    `SELECT "id", "partnership_id", "subject_id", "status" FROM "${SCHEMA}"."case" WHERE "id" = $1`,
    [caseId],
  )) as { id: string; partnership_id: string; subject_id: string; status: 'open' | 'closed' }[];
  if (!header) throw new Error(`case ${caseId} vanished inside its own transaction`);
  const involvements = (await manager.query(
    `SELECT ${INVOLVEMENT_COLUMNS} FROM "${SCHEMA}"."involvement" WHERE "case_id" = $1`,
    [caseId],
  )) as InvolvementRow[];
  const positions = (await manager.query(
    `SELECT ${POSITION_COLUMNS} FROM "${SCHEMA}"."agency_position" WHERE "case_id" = $1`,
    [caseId],
  )) as PositionRow[];
  const snapshot = buildSnapshot(
    {
      id: header.id,
      partnershipId: header.partnership_id,
      subjectId: header.subject_id,
      status: header.status,
    },
    involvements.map(involvementFromRow),
    positions.map(positionFromRow),
  );
  const event: CaseEventMessage = { statusChange: message, case: snapshot };
  await enqueueOutbox(manager, SCHEMA, [{ topic: caseEventsTopic, key: caseId, value: event }]);
  return { outcome: 'applied', caseId };
}

export interface PendingLinkResult {
  /** The case each linked status change now belongs to, by status change id. */
  readonly caseIds: ReadonlyMap<string, string>;
  /** True when at least one case event was enqueued (the relay should be woken after commit). */
  readonly enqueued: boolean;
}

/**
 * Applies every unmatched change still waiting for this identifier to the subject, oldest first, and marks each
 * linked (who, when). The caller holds the identifier lock and has recorded the identifier against the subject.
 */
export async function linkPendingStatusChanges(
  manager: EntityManager,
  key: IdentifierKey,
  subjectId: string,
  linkedBy: string,
  caseEventsTopic: string,
): Promise<PendingLinkResult> {
  const rows = (await manager.query(
    `SELECT "id", "message" FROM "${SCHEMA}"."unmatched_status_change"
     WHERE "partnership_id" = $1 AND "identifier_system" = $2 AND "identifier_value" = $3 AND "linked_at" IS NULL
     ORDER BY ("message"->>'occurredAt')::timestamptz, "received_at", "id"
     FOR UPDATE`,
    [key.partnershipId, key.system, key.value],
  )) as { id: string; message: StatusChangeMessage }[];
  const caseIds = new Map<string, string>();
  let enqueued = false;
  for (const row of rows) {
    const result = await applyMatchedStatusChange(manager, subjectId, row.message, caseEventsTopic);
    enqueued ||= result.outcome === 'applied';
    caseIds.set(row.id, result.caseId);
    await manager.query(
      `UPDATE "${SCHEMA}"."unmatched_status_change"
       SET "linked_at" = now(), "linked_subject_id" = $2, "linked_by" = $3 WHERE "id" = $1`,
      [row.id, subjectId, linkedBy],
    );
  }
  return { caseIds, enqueued };
}
