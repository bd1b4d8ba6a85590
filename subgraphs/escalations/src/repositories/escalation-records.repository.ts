import type { EntityManager } from 'typeorm';
import type {
  EscalationLearning,
  EscalationMeeting,
  PanelDecision,
  Participant,
  ResolutionPanel,
} from '../domain/model';

/**
 * The append-only records kept beside an escalation's history: meetings, learning, the resolution panel and its
 * decision. Triggers refuse UPDATE, DELETE and TRUNCATE on every one of these tables. Each function runs in the
 * caller's manager (a transaction, for writes).
 */

const S = '"escalations"';

export async function insertMeeting(
  m: EntityManager,
  escalationId: string,
  meeting: EscalationMeeting,
): Promise<void> {
  await m.query(
    `INSERT INTO ${S}."escalation_meeting"
       ("escalation_id", "stage", "held_at", "recorded_at", "recorded_by", "participants", "agreed")
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [
      escalationId,
      meeting.stage,
      meeting.heldAt,
      meeting.recordedAt,
      meeting.recordedBy,
      JSON.stringify(meeting.participants),
      meeting.agreed,
    ],
  );
}

interface MeetingRow {
  escalation_id: string;
  stage: number;
  held_at: Date;
  recorded_at: Date;
  recorded_by: string;
  participants: Participant[];
  agreed: string;
}

/** Each escalation's meetings, in the order they were held (then recorded). */
export async function meetingsOf(
  m: EntityManager,
  escalationIds: readonly string[],
): Promise<EscalationMeeting[][]> {
  const rows = (await m.query(
    `SELECT * FROM ${S}."escalation_meeting" WHERE "escalation_id" = ANY($1::uuid[])
      ORDER BY "held_at", "id"`,
    [[...escalationIds]],
  )) as MeetingRow[];
  return escalationIds.map((id) =>
    rows
      .filter((r) => r.escalation_id === id)
      .map((r) => ({
        stage: r.stage,
        heldAt: r.held_at,
        recordedAt: r.recorded_at,
        recordedBy: r.recorded_by,
        participants: r.participants,
        agreed: r.agreed,
      })),
  );
}

export async function insertLearning(
  m: EntityManager,
  escalationId: string,
  learning: EscalationLearning,
): Promise<void> {
  await m.query(
    `INSERT INTO ${S}."escalation_learning" ("escalation_id", "recorded_at", "recorded_by", "learning", "debrief")
     VALUES ($1, $2, $3, $4, $5)`,
    [escalationId, learning.recordedAt, learning.recordedBy, learning.learning, learning.debrief],
  );
}

/** Each escalation's learning, oldest first. */
export async function learningOf(
  m: EntityManager,
  escalationIds: readonly string[],
): Promise<EscalationLearning[][]> {
  const rows = (await m.query(
    `SELECT * FROM ${S}."escalation_learning" WHERE "escalation_id" = ANY($1::uuid[]) ORDER BY "id"`,
    [[...escalationIds]],
  )) as {
    escalation_id: string;
    recorded_at: Date;
    recorded_by: string;
    learning: string;
    debrief: string | null;
  }[];
  return escalationIds.map((id) =>
    rows
      .filter((r) => r.escalation_id === id)
      .map((r) => ({
        recordedAt: r.recorded_at,
        recordedBy: r.recorded_by,
        learning: r.learning,
        debrief: r.debrief,
      })),
  );
}

export async function insertPanel(
  m: EntityManager,
  escalationId: string,
  panel: ResolutionPanel,
): Promise<void> {
  await m.query(
    `INSERT INTO ${S}."resolution_panel" ("escalation_id", "convened_at", "convened_by", "members")
     VALUES ($1, $2, $3, $4)`,
    [escalationId, panel.convenedAt, panel.convenedBy, JSON.stringify(panel.members)],
  );
}

export async function insertPanelDecision(
  m: EntityManager,
  escalationId: string,
  decision: PanelDecision,
): Promise<void> {
  await m.query(
    `INSERT INTO ${S}."resolution_panel_decision"
       ("escalation_id", "decided_at", "decided_by", "decision", "rationale")
     VALUES ($1, $2, $3, $4, $5)`,
    [escalationId, decision.decidedAt, decision.decidedBy, decision.decision, decision.rationale],
  );
}

/** Each escalation's resolution panel with its decision, or null. */
export async function panelsOf(
  m: EntityManager,
  escalationIds: readonly string[],
): Promise<(ResolutionPanel | null)[]> {
  const rows = (await m.query(
    `SELECT p.*, d."decided_at", d."decided_by", d."decision", d."rationale"
       FROM ${S}."resolution_panel" p
       LEFT JOIN ${S}."resolution_panel_decision" d ON d."escalation_id" = p."escalation_id"
      WHERE p."escalation_id" = ANY($1::uuid[])`,
    [[...escalationIds]],
  )) as {
    escalation_id: string;
    convened_at: Date;
    convened_by: string;
    members: Participant[];
    decided_at: Date | null;
    decided_by: string | null;
    decision: PanelDecision['decision'] | null;
    rationale: string | null;
  }[];
  const byId = new Map(rows.map((r) => [r.escalation_id, r]));
  return escalationIds.map((id) => {
    const r = byId.get(id);
    if (!r) return null;
    return {
      convenedAt: r.convened_at,
      convenedBy: r.convened_by,
      members: r.members,
      decision:
        r.decided_at && r.decided_by && r.decision && r.rationale
          ? { decidedAt: r.decided_at, decidedBy: r.decided_by, decision: r.decision, rationale: r.rationale }
          : null,
    };
  });
}
