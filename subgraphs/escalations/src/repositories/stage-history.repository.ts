import type { EntityManager } from 'typeorm';
import type { StageRecord } from '../domain/escalation';

/**
 * The stages an escalation has been through, read from its append-only transitions: when each stage first
 * started (its raise, or the move into it), and the first meeting recorded at it (`escalation_meeting`; null while
 * none is, so an anchor on that stage's first meeting counts from its start).
 */
export async function stageHistory(manager: EntityManager, escalationId: string): Promise<StageRecord[]> {
  const rows = (await manager.query(
    `SELECT s."stage", s."startedAt",
            (SELECT min(mt."held_at") FROM "escalations"."escalation_meeting" mt
              WHERE mt."escalation_id" = $1 AND mt."stage" = s."stage") AS "firstMeetingAt"
       FROM (SELECT "to_stage" AS "stage", min("at") AS "startedAt"
               FROM "escalations"."escalation_transition"
              WHERE "escalation_id" = $1 AND "from_stage" IS DISTINCT FROM "to_stage"
              GROUP BY "to_stage") s
      ORDER BY s."stage"`,
    [escalationId],
  )) as { stage: number; startedAt: Date; firstMeetingAt: Date | null }[];
  return rows.map((r) => ({
    stage: r.stage,
    startedAt: new Date(r.startedAt),
    firstMeetingAt: r.firstMeetingAt === null ? null : new Date(r.firstMeetingAt),
  }));
}
