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
  addEvidenceRowsOf,
  appendTransition,
  appendTransitions,
  findOpenEscalation,
  findOpenEscalations,
  insertEscalation,
  insertEscalations,
  openEscalationKey,
  settledEvidence,
  settledEvidenceOf,
  toState,
  type OpenEscalationKey,
} from '../repositories/escalation.repository';
import { SYSTEM_ACTOR, type EscalationState, type EscalationTransition } from '../domain/model';
import { armTimers, graceTimerKey, setTimer } from '../repositories/timer.repository';
import { escalationEvent } from '../services/escalation-events';
import { DB_SCHEMA } from '../entities/schema-name';
import type { OutboxMessage } from '@mash/kafka';
import { armStageTimer, stageTimerOf } from './stage-deadline-timer';
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

/** A finding timer of a transaction, with its partnership's reference data. */
export interface FindingTimerToFire {
  readonly payload: FindingPayload;
  readonly reference: Pick<TimerContext, 'policy' | 'agencies'>;
}

/**
 * The same as `fireFindingTimer` for each of a transaction's finding timers in turn, with a number of statements
 * that does not grow with the timers: the caller has locked the timers and their cases' snapshots (`snapshots`,
 * by case id). The rule runs in memory on each timer's snapshot; the open escalations of the findings that are due
 * are looked up (and locked) with one query and the evidence settled for the rest with another; each timer is then
 * decided in order in memory, so that a timer whose case, ground and agencies an earlier one of the transaction has
 * just raised joins that escalation (or finds it already holds its evidence), as when they fired one after another.
 * The new escalations, all the evidence rows, the transitions, the stage timers and the events are written with one
 * statement each. Returns what each timer did, in order; marking them fired or re-armed is the caller's.
 *
 * A timer whose escalation another transaction raised meanwhile (by hand) is `already-open`, as one fired alone
 * is; should a later timer of the transaction have joined it, this throws, and the caller rolls back and fires the
 * timers one by one.
 */
export async function fireFindingTimers(
  m: EntityManager,
  timers: readonly FindingTimerToFire[],
  snapshots: ReadonlyMap<string, CaseSnapshot>,
  at: { readonly now: Date; readonly topic: string },
): Promise<Fired[]> {
  const { now, topic } = at;
  const fired: (Fired | undefined)[] = timers.map(() => undefined);
  const due: { i: number; finding: Finding; snapshot: CaseSnapshot; key: OpenEscalationKey; k: string }[] =
    [];
  for (const [i, { payload: p, reference }] of timers.entries()) {
    const snapshot = snapshots.get(p.caseId);
    const finding = snapshot
      ? runGround(snapshot, reference.policy, p.ground, {
          now,
          calendar: calendarFor(reference.policy.calendar),
          agencies: reference.agencies,
        }).find((f) => sameFinding(f, p))
      : undefined;
    if (!snapshot || !finding) fired[i] = { outcome: 'no-longer-holds', events: 0 };
    else if (!isDue(finding, now)) fired[i] = rearmed(snapshot, finding);
    else {
      const key = {
        caseId: p.caseId,
        ground: finding.ground,
        raisingAgencyId: finding.raisingAgencyId,
        receivingAgencyId: finding.receivingAgencyId,
      };
      due.push({ i, finding, snapshot, key, k: openEscalationKey(key) });
    }
  }
  const keys = new Map(due.map((d) => [d.k, d.key]));
  const stored = await findOpenEscalations(m, [...keys.values()]);
  const settled = await settledEvidenceOf(
    m,
    [...keys].flatMap(([k, key]) => (stored.has(k) ? [] : [key])),
  );

  // In timer order: the escalation open for each key (stored, or raised by an earlier timer here) and the evidence
  // each escalation holds or is given here, so a later timer adds only what an earlier one has not.
  const open = new Map<string, EscalationState>([...stored].map(([k, e]) => [k, toState(e)]));
  const given = new Map<string, Set<string>>();
  const raised: { i: number; escalation: EscalationState; transition: EscalationTransition }[] = [];
  const joins: { i: number; escalation: EscalationState; evidence: string[] }[] = [];
  const evidence: { escalationId: string; statusChangeId: string }[] = [];
  for (const d of due) {
    const { policy } = timers[d.i]!.reference;
    const escalation = open.get(d.k) ?? null;
    const decision = decide(
      d.finding,
      { open: escalation !== null, settled: escalation ? [] : (settled.get(d.k) ?? []) },
      now,
    );
    if (decision === 'wait') fired[d.i] = rearmed(d.snapshot, d.finding);
    else if (decision === 'settled') fired[d.i] = { outcome: 'settled', events: 0 };
    else if (decision === 'join') {
      const adding = claimEvidence(given, escalation!.id, d.finding.evidence);
      for (const id of adding) evidence.push({ escalationId: escalation!.id, statusChangeId: id });
      joins.push({ i: d.i, escalation: escalation!, evidence: adding });
    } else {
      const moved = raise(
        {
          id: randomUUID(),
          caseId: d.key.caseId,
          partnershipId: d.snapshot.partnershipId,
          ground: d.finding.ground,
          raisingAgencyId: d.finding.raisingAgencyId,
          receivingAgencyId: d.finding.receivingAgencyId,
          evidence: d.finding.evidence,
          at: now,
          reason: d.finding.reason,
        },
        policy,
        calendarFor(policy.calendar),
      );
      open.set(d.k, moved.escalation);
      given.set(moved.escalation.id, new Set(moved.escalation.evidence));
      for (const id of moved.escalation.evidence) {
        evidence.push({ escalationId: moved.escalation.id, statusChangeId: id });
      }
      raised.push({ i: d.i, ...moved });
    }
  }

  // An escalation another transaction raised meanwhile (by hand) for the same case, ground and agencies wins, as
  // `insertEscalation` lets it: that timer is `already-open` and writes nothing. Should a later timer here have
  // counted on joining the escalation not written, the caller fires them one by one instead.
  const inserted = await insertEscalations(
    m,
    raised.map((r) => r.escalation),
  );
  const refused = new Set(raised.flatMap((r) => (inserted.has(r.escalation.id) ? [] : [r.escalation.id])));
  if (joins.some((j) => refused.has(j.escalation.id))) {
    throw new Error(
      'an escalation the finding timers raise and join was raised meanwhile by another transaction',
    );
  }
  const written = raised.filter((r) => !refused.has(r.escalation.id));
  const added = await addEvidenceRowsOf(
    m,
    evidence.filter((row) => !refused.has(row.escalationId)),
    now,
  );
  await appendTransitions(
    m,
    written.map((r) => ({ escalationId: r.escalation.id, transition: r.transition })),
  );
  await armTimers(
    m,
    'stage-deadline',
    written.flatMap((r) => stageTimerOf(r.escalation) ?? []),
  );
  const events = new Map<number, OutboxMessage>();
  for (const r of raised) {
    if (refused.has(r.escalation.id)) {
      fired[r.i] = { outcome: 'already-open', events: 0 };
      continue;
    }
    events.set(r.i, escalationEvent(topic, 'raised', r.escalation, r.transition));
    fired[r.i] = { outcome: 'raised', events: 1 };
  }
  for (const j of joins) {
    const count = j.evidence.filter((id) => added.has(`${j.escalation.id}|${id}`)).length;
    if (count === 0) {
      fired[j.i] = { outcome: 'already-open', events: 0 };
      continue;
    }
    events.set(
      j.i,
      escalationEvent(topic, 'evidence-added', j.escalation, {
        at: now,
        actor: SYSTEM_ACTOR,
        rationale: evidenceAddedRationale(count),
      }),
    );
    fired[j.i] = { outcome: 'joined', events: 1 };
  }
  // In timer order, as they were enqueued one after another.
  await enqueueOutbox(
    m,
    DB_SCHEMA,
    [...events].sort(([a], [b]) => a - b).map(([, message]) => message),
  );
  return fired.map((f) => f!);
}

/**
 * The status changes of `evidence` that no earlier finding of the same transaction has given the escalation
 * (`given`: escalation id → the status changes given it so far, which this adds to), each once and in order.
 */
export function claimEvidence(
  given: Map<string, Set<string>>,
  escalationId: string,
  evidence: readonly string[],
): string[] {
  const held = given.get(escalationId) ?? new Set<string>();
  given.set(escalationId, held);
  const adding = [...new Set(evidence)].filter((id) => !held.has(id));
  for (const id of adding) held.add(id);
  return adding;
}

function rearmed(snapshot: CaseSnapshot, finding: Finding): Fired {
  return {
    outcome: 'rearmed',
    events: 0,
    rearm: { dueAt: finding.dueAt, payload: findingPayload(snapshot, finding) },
  };
}

export function evidenceAddedRationale(added: number): string {
  return `${added} new status ${added === 1 ? 'change' : 'changes'} joined the escalation.`;
}

export const findingTimer: TimerHandler<FindingPayload> = { fire: fireFindingTimer };
