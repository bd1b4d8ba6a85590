import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { triggerFor, type CaseSnapshot, type EscalationPolicy } from '@mash/schema';
import { enqueueOutbox } from '@mash/kafka';
import { addTimescale } from '../domain/calendar';
import { calendarFor } from '../domain/calendars';
import { raise } from '../domain/escalation';
import type { EscalationGround } from '../domain/model';
import type { Finding } from '../domain/rules/finding';
import { findThresholdDisagreements } from '../domain/rules/threshold-disagreement';
import {
  addEvidenceRows,
  appendTransition,
  findOpenEscalation,
  insertEscalation,
  settledEvidence,
} from '../repositories/escalation.repository';
import { escalationEvent } from '../services/escalation-events';
import { DB_SCHEMA } from '../entities/schema-name';
import { armStageTimer } from './stage-deadline-timer';
import type { Fired } from './timer-firing';

/** What a grace timer carries: the finding it waits on, as the engine (or the last re-arm) saw it. */
export interface GracePayload {
  readonly caseId: string;
  readonly partnershipId: string;
  readonly ground: EscalationGround;
  readonly raisingAgencyId: string;
  readonly receivingAgencyId: string;
  readonly evidence: readonly string[];
  /** ISO time the disagreement has held since. */
  readonly since: string;
  readonly reason: string;
}

export function gracePayload(snapshot: Pick<CaseSnapshot, 'id' | 'partnershipId'>, f: Finding): GracePayload {
  return {
    caseId: snapshot.id,
    partnershipId: snapshot.partnershipId,
    ground: f.ground,
    raisingAgencyId: f.raisingAgencyId,
    receivingAgencyId: f.receivingAgencyId,
    evidence: f.evidence,
    since: f.since.toISOString(),
    reason: f.reason,
  };
}

/**
 * A grace timer is due: raise if the disagreement still holds, has held for the whole grace period, and nothing
 * is open for it already. The finding is recomputed from the case as it stands now; when the disagreement stopped
 * and came back since the timer was armed, its `since` has moved and the timer waits again for the new due time.
 */
export async function fireGraceTimer(
  m: EntityManager,
  p: GracePayload,
  policy: EscalationPolicy,
  agencyNames: ReadonlyMap<string, string>,
  now: Date,
  topic: string,
): Promise<Fired> {
  // Locking the snapshot orders this against the engine applying a newer case event for the same case (the
  // lock order is in scheduler.service.ts).
  const [row] = (await m.query(
    `SELECT "snapshot" FROM "escalations"."case_snapshot" WHERE "case_id" = $1 FOR UPDATE`,
    [p.caseId],
  )) as { snapshot: CaseSnapshot }[];
  const trigger = triggerFor(policy, 'threshold-disagreement');
  if (!trigger) return { outcome: 'no-longer-holds', events: 0 };
  const finding = row
    ? findThresholdDisagreements(row.snapshot, trigger, agencyNames).find(
        (f) =>
          f.ground === p.ground &&
          f.raisingAgencyId === p.raisingAgencyId &&
          f.receivingAgencyId === p.receivingAgencyId,
      )
    : undefined;
  if (!row || !finding) return { outcome: 'no-longer-holds', events: 0 };
  const key = {
    caseId: p.caseId,
    ground: p.ground,
    raisingAgencyId: p.raisingAgencyId,
    receivingAgencyId: p.receivingAgencyId,
  };
  if (await findOpenEscalation(m, key)) return { outcome: 'already-open', events: 0 };
  // A disagreement already resolved on exactly this evidence is not raised again; new evidence raises anew.
  const settled = await settledEvidence(m, key);
  if (settled.size > 0 && finding.evidence.every((id) => settled.has(id)))
    return { outcome: 'settled', events: 0 };

  const calendar = calendarFor(policy.calendar);
  const due = addTimescale(finding.since, trigger.gracePeriod, calendar);
  if (due > now) {
    return {
      outcome: 'rearmed',
      events: 0,
      rearm: { dueAt: due, payload: gracePayload(row.snapshot, finding) },
    };
  }

  const { escalation, transition } = raise(
    {
      id: randomUUID(),
      caseId: p.caseId,
      partnershipId: row.snapshot.partnershipId,
      ground: finding.ground,
      raisingAgencyId: finding.raisingAgencyId,
      receivingAgencyId: finding.receivingAgencyId,
      evidence: finding.evidence,
      at: now,
      reason: finding.reason,
    },
    policy,
    calendar,
  );
  if (!(await insertEscalation(m, escalation))) return { outcome: 'already-open', events: 0 };
  await addEvidenceRows(m, escalation.id, escalation.evidence, now);
  await appendTransition(m, escalation.id, transition);
  await armStageTimer(m, escalation);
  await enqueueOutbox(m, DB_SCHEMA, [
    escalationEvent(topic, 'raised', escalation, now, transition.rationale),
  ]);
  return { outcome: 'raised', events: 1 };
}
