import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { AutomaticGround, CaseSnapshot } from '@mash/schema';
import { enqueueOutbox } from '@mash/kafka';
import { calendarFor } from '../domain/calendars';
import { raise } from '../domain/escalation';
import { decide, isDue } from '../domain/finding-decision';
import { sameFinding, type Finding } from '../domain/rules/finding';
import { runGround } from '../domain/rules/registry';
import {
  addEvidenceRows,
  appendTransition,
  findOpenEscalation,
  insertEscalation,
  settledEvidence,
  toState,
} from '../repositories/escalation.repository';
import { SYSTEM_ACTOR } from '../domain/model';
import { graceTimerKey, setTimer } from '../repositories/timer.repository';
import { escalationEvent } from '../services/escalation-events';
import { DB_SCHEMA } from '../entities/schema-name';
import { armStageTimer } from './stage-deadline-timer';
import type { Fired, TimerContext, TimerHandler } from './timer-firing';

/**
 * What a finding timer (stored kind `grace`) carries: the finding it waits on, as the engine (or the last re-arm)
 * saw it. Timers armed before `concern` and `dueAt` existed carry neither; they are threshold disagreements.
 */
export interface FindingPayload {
  readonly caseId: string;
  readonly partnershipId: string;
  readonly ground: AutomaticGround;
  readonly raisingAgencyId: string;
  readonly receivingAgencyId: string;
  readonly concern?: string;
  readonly evidence: readonly string[];
  /** ISO time the situation has held since. */
  readonly since: string;
  /** ISO time the finding may be raised. */
  readonly dueAt?: string;
  readonly reason: string;
}

export function findingPayload(
  snapshot: Pick<CaseSnapshot, 'id' | 'partnershipId'>,
  f: Finding,
): FindingPayload {
  return {
    caseId: snapshot.id,
    partnershipId: snapshot.partnershipId,
    ground: f.ground,
    raisingAgencyId: f.raisingAgencyId,
    receivingAgencyId: f.receivingAgencyId,
    ...(f.concern !== undefined && { concern: f.concern }),
    evidence: f.evidence,
    since: f.since.toISOString(),
    dueAt: f.dueAt.toISOString(),
    reason: f.reason,
  };
}

export function findingTimerKey(
  caseId: string,
  f: Pick<Finding, 'ground' | 'raisingAgencyId' | 'receivingAgencyId' | 'concern'>,
): string {
  return graceTimerKey(caseId, f.ground, f.raisingAgencyId, f.receivingAgencyId, f.concern);
}

/** Sets the finding's timer to its due time (arms, or moves a waiting one); returns the timer's key. */
export async function armFindingTimer(
  m: EntityManager,
  snapshot: Pick<CaseSnapshot, 'id' | 'partnershipId'>,
  f: Finding,
): Promise<string> {
  const key = findingTimerKey(snapshot.id, f);
  await setTimer(m, 'grace', key, f.dueAt, findingPayload(snapshot, f));
  return key;
}

/**
 * A finding timer is due. The finding is computed again from the case as it stands now, with the rule of its
 * ground: gone, nothing is raised; not due after all (its situation stopped and came back, a deadline moved), the
 * timer waits again; due, it joins the open escalation for the same case, ground and agencies, is passed over when
 * an escalation was resolved on exactly this evidence, or is raised.
 */
async function fireFindingTimer(m: EntityManager, p: FindingPayload, ctx: TimerContext): Promise<Fired> {
  const { policy, now, topic } = ctx;
  // Locking the snapshot orders this against the engine applying a newer case event for the same case (the
  // lock order is in scheduler.ts).
  const [row] = (await m.query(
    `SELECT "snapshot" FROM "escalations"."case_snapshot" WHERE "case_id" = $1 FOR UPDATE`,
    [p.caseId],
  )) as { snapshot: CaseSnapshot }[];
  if (!row) return { outcome: 'no-longer-holds', events: 0 };
  const finding = runGround(row.snapshot, policy, p.ground, {
    now,
    calendar: calendarFor(policy.calendar),
    agencies: ctx.agencies,
  }).find((f) => sameFinding(f, p));
  if (!finding) return { outcome: 'no-longer-holds', events: 0 };
  const rearm: Fired = {
    outcome: 'rearmed',
    events: 0,
    rearm: { dueAt: finding.dueAt, payload: findingPayload(row.snapshot, finding) },
  };
  if (!isDue(finding, now)) return rearm; // nothing to lock for a finding that waits
  const key = {
    caseId: p.caseId,
    ground: finding.ground,
    raisingAgencyId: finding.raisingAgencyId,
    receivingAgencyId: finding.receivingAgencyId,
  };
  const open = await findOpenEscalation(m, key);
  const settled = open ? [] : await settledEvidence(m, key);
  switch (decide(finding, { open: open !== null, settled }, now)) {
    case 'wait':
      return rearm;
    case 'settled':
      return { outcome: 'settled', events: 0 };
    case 'join': {
      const added = await addEvidenceRows(m, open!.id, finding.evidence, now);
      if (added.length === 0) return { outcome: 'already-open', events: 0 };
      await enqueueOutbox(m, DB_SCHEMA, [
        escalationEvent(topic, 'evidence-added', toState(open!), {
          at: now,
          actor: SYSTEM_ACTOR,
          rationale: evidenceAddedRationale(added.length),
        }),
      ]);
      return { outcome: 'joined', events: 1 };
    }
    case 'raise':
      break;
  }

  const calendar = calendarFor(policy.calendar);
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
  await enqueueOutbox(m, DB_SCHEMA, [escalationEvent(topic, 'raised', escalation, transition)]);
  return { outcome: 'raised', events: 1 };
}

export function evidenceAddedRationale(added: number): string {
  return `${added} new status ${added === 1 ? 'change' : 'changes'} joined the escalation.`;
}

export const findingTimer: TimerHandler<FindingPayload> = { fire: fireFindingTimer };
