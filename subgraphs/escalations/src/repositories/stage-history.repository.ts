import type { EntityManager } from 'typeorm';
import type { StageRecord } from '../domain/escalation';

/**
 * The stages an escalation has been through, read from its append-only transitions: when each stage first
 * started (its raise, or the move into it). First meetings are not recorded yet, so `firstMeetingAt` is null and
 * an anchor on a stage's first meeting counts from that stage's start.
 */
export async function stageHistory(manager: EntityManager, escalationId: string): Promise<StageRecord[]> {
  const rows = (await manager.query(
    `SELECT "to_stage" AS "stage", min("at") AS "startedAt"
       FROM "escalations"."escalation_transition"
      WHERE "escalation_id" = $1 AND "from_stage" IS DISTINCT FROM "to_stage"
      GROUP BY "to_stage"
      ORDER BY "to_stage"`,
    [escalationId],
  )) as { stage: number; startedAt: Date }[];
  return rows.map((r) => ({ stage: r.stage, startedAt: new Date(r.startedAt), firstMeetingAt: null }));
}
