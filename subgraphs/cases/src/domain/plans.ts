import type { PlanKind, PlanSnapshot, StatusChangeMessage } from '@mash/schema';
import { iso, isEarlier } from './time';

/** One plan action as its latest report left it. */
export interface PlanActionRecord {
  readonly ref: string;
  readonly description: string;
  readonly status: 'open' | 'done';
  readonly dueDate: string | null;
  readonly ownerAgencyType: string | null;
  /** The status change that last reported the action, and when that was (event time). */
  readonly statusChangeId: string;
  readonly asOf: string;
  /** Since when the action has been done (the earliest report of its current done spell); null while open. */
  readonly doneAt: string | null;
}

/**
 * One plan as its agency reported it, keyed by the agency and its own reference. A plan whose start has not been
 * reported yet (an action, visit or end arrived first) is kept, with `startedAt` null, and joins the snapshot once
 * its start arrives.
 */
export interface PlanRecord {
  readonly agencyId: string;
  readonly ref: string;
  readonly kind: PlanKind | null;
  readonly startedAt: string | null;
  readonly startedStatusChangeId: string | null;
  readonly endedAt: string | null;
  readonly visitFrequencyDays: number | null;
  readonly lastSeenVisitAt: string | null;
  readonly lastSeenVisitStatusChangeId: string | null;
  /** In reference order. */
  readonly actions: readonly PlanActionRecord[];
}

/** The key of a plan among a case's plans. */
export function planKey(agencyId: string, ref: string): string {
  return `${agencyId}|${ref}`;
}

/** The status change kinds that move plans. */
export const PLAN_KINDS_OF_CHANGE: readonly string[] = ['plan-started', 'plan-ended', 'plan-action', 'visit'];

function unstarted(agencyId: string, ref: string, kind: PlanKind | null): PlanRecord {
  return {
    agencyId,
    ref,
    kind,
    startedAt: null,
    startedStatusChangeId: null,
    endedAt: null,
    visitFrequencyDays: null,
    lastSeenVisitAt: null,
    lastSeenVisitStatusChangeId: null,
    actions: [],
  };
}

const byRef = (a: { ref: string }, b: { ref: string }): number =>
  a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0;

/** Open at `at`: started by then (or start not known yet) and not ended before it. */
function openAt(plan: PlanRecord, at: string): boolean {
  return !isEarlier(at, plan.startedAt) && (plan.endedAt === null || !isEarlier(plan.endedAt, at));
}

function started(plan: PlanRecord, change: StatusChangeMessage, at: string): PlanRecord {
  const facts = change.facts.plan!;
  const frequency = facts.visitFrequencyDays ?? null;
  if (plan.startedAt !== null && !isEarlier(at, plan.startedAt)) {
    // A repeated (or later) start report: the plan has run since the earliest; it only fills a missing frequency.
    return plan.visitFrequencyDays === null && frequency !== null
      ? { ...plan, visitFrequencyDays: frequency }
      : plan;
  }
  const seenBefore = plan.lastSeenVisitAt !== null && isEarlier(plan.lastSeenVisitAt, at);
  return {
    ...plan,
    kind: facts.kind,
    startedAt: at,
    startedStatusChangeId: change.id,
    visitFrequencyDays: frequency ?? plan.visitFrequencyDays,
    // A visit before the plan began does not count as a visit under it.
    ...(seenBefore && { lastSeenVisitAt: null, lastSeenVisitStatusChangeId: null }),
  };
}

function seen(plan: PlanRecord, change: StatusChangeMessage, at: string): PlanRecord {
  if (plan.lastSeenVisitAt !== null && !isEarlier(plan.lastSeenVisitAt, at)) return plan;
  if (isEarlier(at, plan.startedAt)) return plan;
  return { ...plan, lastSeenVisitAt: at, lastSeenVisitStatusChangeId: change.id };
}

function actionAfter(
  current: PlanActionRecord | undefined,
  change: StatusChangeMessage,
  at: string,
): PlanActionRecord {
  const facts = change.facts.planAction!;
  if (current && isEarlier(at, current.asOf)) {
    // A late, older report: it cannot undo the newer one, but an older "done" shows the action was done earlier.
    const doneEarlier = facts.status === 'done' && current.status === 'done' && isEarlier(at, current.doneAt);
    return doneEarlier ? { ...current, doneAt: at } : current;
  }
  const done = facts.status === 'done';
  return {
    ref: facts.ref,
    description: facts.description,
    status: facts.status,
    dueDate: facts.dueDate,
    ownerAgencyType: facts.ownerAgencyType ?? null,
    statusChangeId: change.id,
    asOf: at,
    doneAt: done ? (current?.status === 'done' && current.doneAt !== null ? current.doneAt : at) : null,
  };
}

/**
 * The case's plans after one status change, and the keys of the plans it changed (none when it changes nothing).
 * Plans are one agency's: a change moves only the reporting agency's plans.
 *
 * - `plan-started` (`facts.plan`): starts the plan; a start already known and earlier wins (the plan has run
 *   since then), a later report only fills a missing visit frequency. Kind and visit frequency come from the start.
 * - `plan-ended` (`facts.plan`): the plan ended at the latest end reported.
 * - `plan-action` (`facts.planAction`): upserts the action by (planRef, ref) as the report says it stands; an older
 *   report than the one the action holds changes nothing (except to show it was done earlier).
 * - `visit` with `facts.visit.outcome` `seen`: the plan it names (`facts.plan.ref`), or, when it names none, every
 *   plan of the agency open at the visit's time, was last seen then, unless a later visit is known or the visit
 *   came before the plan started. `no-access` visits move no plan (they are signals).
 */
export function applyPlans(
  plans: ReadonlyMap<string, PlanRecord>,
  change: StatusChangeMessage,
): { plans: ReadonlyMap<string, PlanRecord>; changed: readonly string[] } {
  const at = iso(change.occurredAt);
  const { facts, agencyId } = change;
  const next = new Map(plans);
  const changed: string[] = [];
  const update = (key: string, plan: PlanRecord, after: PlanRecord) => {
    if (after === plan) return;
    next.set(key, after);
    changed.push(key);
  };
  const named = (ref: string, kind: PlanKind | null): [string, PlanRecord] => {
    const key = planKey(agencyId, ref);
    return [key, next.get(key) ?? unstarted(agencyId, ref, kind)];
  };

  switch (change.kind) {
    case 'plan-started': {
      if (!facts.plan) break;
      const [key, plan] = named(facts.plan.ref, facts.plan.kind);
      update(key, plan, started(plan, change, at));
      break;
    }
    case 'plan-ended': {
      if (!facts.plan) break;
      const [key, plan] = named(facts.plan.ref, facts.plan.kind);
      if (plan.endedAt !== null && !isEarlier(plan.endedAt, at)) break;
      update(key, plan, { ...plan, kind: plan.kind ?? facts.plan.kind, endedAt: at });
      break;
    }
    case 'plan-action': {
      if (!facts.planAction) break;
      const [key, plan] = named(facts.planAction.planRef, null);
      const current = plan.actions.find((a) => a.ref === facts.planAction!.ref);
      const action = actionAfter(current, change, at);
      if (action === current) break;
      const actions = [...plan.actions.filter((a) => a.ref !== action.ref), action].sort(byRef);
      update(key, plan, { ...plan, actions });
      break;
    }
    case 'visit': {
      if (facts.visit?.outcome !== 'seen') break;
      if (facts.plan) {
        const [key, plan] = named(facts.plan.ref, facts.plan.kind);
        update(key, plan, seen(plan, change, at));
        break;
      }
      for (const [key, plan] of plans) {
        if (plan.agencyId === agencyId && openAt(plan, at)) update(key, plan, seen(plan, change, at));
      }
      break;
    }
  }
  return { plans: changed.length === 0 ? plans : next, changed };
}

/** The plans the snapshot carries: those whose start has been reported, oldest first (then agency, reference). */
export function planSnapshots(plans: Iterable<PlanRecord>): PlanSnapshot[] {
  return [...plans]
    .filter(
      (p): p is PlanRecord & { startedAt: string; startedStatusChangeId: string; kind: PlanKind } =>
        p.startedAt !== null && p.startedStatusChangeId !== null && p.kind !== null,
    )
    .sort(
      (a, b) =>
        Date.parse(a.startedAt) - Date.parse(b.startedAt) ||
        (a.agencyId < b.agencyId ? -1 : a.agencyId > b.agencyId ? 1 : 0) ||
        byRef(a, b),
    )
    .map((p) => ({
      ref: p.ref,
      agencyId: p.agencyId,
      kind: p.kind,
      startedAt: p.startedAt,
      startedStatusChangeId: p.startedStatusChangeId,
      endedAt: p.endedAt,
      visitFrequencyDays: p.visitFrequencyDays,
      lastSeenVisitAt: p.lastSeenVisitAt,
      lastSeenVisitStatusChangeId: p.lastSeenVisitStatusChangeId,
      actions: p.actions.map((a) => ({
        ref: a.ref,
        description: a.description,
        status: a.status,
        dueDate: a.dueDate,
        statusChangeId: a.statusChangeId,
      })),
    }));
}
