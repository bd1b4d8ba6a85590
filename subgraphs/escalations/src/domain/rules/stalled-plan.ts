import type {
  CaseSnapshot,
  ChildProtectionSnapshot,
  PlanKind,
  PlanSnapshot,
  StalledPlanPolicy,
} from '@mash/schema';
import { addTimescale } from '../calendar';
import { addCivilDays, londonInstant } from '../london-time';
import type { Finding, Rule, RuleContext } from './finding';
import { chooseParties } from './parties';
import { agencyNamer, dateWords, sentence, timescaleWords } from './words';

const GROUND = 'stalled-plan';

/**
 * docs/DOMAIN.md#stalled-plan: the statutory timescales of Working Together to Safeguard Children 2023 and a plan's
 * own commitments, each an expectation with a deadline. Every expectation still open is a finding due at its
 * deadline: the engine arms a timer, and when the expected event has not arrived by then the timer raises it. The
 * expected event removes the expectation (its timer is disarmed); a new one may take its place (a review
 * conference expects the next review).
 *
 * - initial child protection conference within `initialConferenceWithin` of the strategy discussion that started
 *   the s47 enquiry (evidence: that strategy discussion);
 * - once the initial conference decided on a plan: the first core group within `firstCoreGroupWithin` of it, and
 *   the first review conference within `firstReviewWithin` of it (evidence: the initial conference); after a
 *   review, the next within `reviewEvery` of the last (evidence: the last review);
 * - each open plan action with a due date, `actionOverdueAfter` after the end of its due date (evidence: the
 *   action's latest status change);
 * - each plan that states a visit frequency (or every plan, with `defaultVisitFrequencyDays`): a visit in which
 *   the subject is seen within that many days of the last such visit, or of the plan's start (evidence: that
 *   visit, or the plan's start).
 *
 * Only while the process or plan is live: a closed case, the running agency's closed involvement, a conference
 * deciding there is to be no plan, or the plan's end end its expectations.
 */
export const stalledPlanRule: Rule<'stalled-plan'> = (snapshot, trigger, ctx) => {
  if (!trigger.enabled || snapshot.status === 'closed') return [];
  const expectations = [
    ...childProtectionExpectations(snapshot, trigger, ctx),
    ...(snapshot.plans ?? []).flatMap((plan) => planExpectations(snapshot, plan, trigger, ctx)),
  ];
  const found: Finding[] = [];
  for (const e of expectations) {
    const parties = chooseParties(snapshot, trigger.parties, ctx.agencies, {
      preferred: e.agencyId,
      signalling: [e.agencyId],
    });
    if (!parties) continue;
    found.push({
      ground: GROUND,
      raisingAgencyId: parties.raising,
      receivingAgencyId: parties.receiving,
      concern: e.concern,
      evidence: [e.evidence],
      since: e.since,
      dueAt: e.dueAt,
      reason: e.reason,
    });
  }
  return found;
};

/** One expected event: by when, and what created the expectation. */
interface Expectation {
  readonly concern: string;
  /** The agency running the process or holding the plan. */
  readonly agencyId: string;
  readonly evidence: string;
  readonly since: Date;
  readonly dueAt: Date;
  readonly reason: string;
}

function childProtectionExpectations(
  snapshot: CaseSnapshot,
  trigger: StalledPlanPolicy,
  ctx: RuleContext,
): Expectation[] {
  const cp = snapshot.childProtection;
  if (!cp || cp.enquiryStartedAt === null || !involvementOpen(snapshot, cp.agencyId)) return [];
  const name = agencyNamer(ctx.agencies);
  const runs = name(cp.agencyId);
  const due = (from: string, within: StalledPlanPolicy['initialConferenceWithin']) =>
    addTimescale(new Date(from), within, ctx.calendar);
  if (cp.initialConferenceAt === null) {
    if (cp.enquiryStatusChangeId === null) return [];
    const dueAt = due(cp.enquiryStartedAt, trigger.initialConferenceWithin);
    return [
      {
        concern: 'initial-conference',
        agencyId: cp.agencyId,
        evidence: cp.enquiryStatusChangeId,
        since: new Date(cp.enquiryStartedAt),
        dueAt,
        reason: sentence(
          `${runs} has held no initial child protection conference within ` +
            `${timescaleWords(trigger.initialConferenceWithin)} of the strategy discussion that started the ` +
            `section 47 enquiry on ${dateWords(new Date(cp.enquiryStartedAt))}; it was due by ${dateWords(dueAt)}.`,
        ),
      },
    ];
  }
  if (
    !cp.planDecided ||
    cp.initialConferenceStatusChangeId === null ||
    childProtectionPlanEnded(snapshot, cp)
  )
    return [];
  const initial = cp.initialConferenceAt;
  const found: Expectation[] = [];
  if (cp.firstCoreGroupAt === null) {
    const dueAt = due(initial, trigger.firstCoreGroupWithin);
    found.push({
      concern: 'first-core-group',
      agencyId: cp.agencyId,
      evidence: cp.initialConferenceStatusChangeId,
      since: new Date(initial),
      dueAt,
      reason:
        `No core group has met within ${timescaleWords(trigger.firstCoreGroupWithin)} of the initial child ` +
        `protection conference on ${dateWords(new Date(initial))} (${runs} runs the plan); it was due by ` +
        `${dateWords(dueAt)}.`,
    });
  }
  const lastReview =
    cp.lastReviewConferenceAt !== null && cp.lastReviewConferenceStatusChangeId !== null
      ? { at: cp.lastReviewConferenceAt, id: cp.lastReviewConferenceStatusChangeId }
      : null;
  const within = lastReview ? trigger.reviewEvery : trigger.firstReviewWithin;
  const from = lastReview?.at ?? initial;
  const dueAt = due(from, within);
  found.push({
    concern: 'review-conference',
    agencyId: cp.agencyId,
    evidence: lastReview?.id ?? cp.initialConferenceStatusChangeId,
    since: new Date(from),
    dueAt,
    reason:
      `No review child protection conference has been held within ${timescaleWords(within)} of the ` +
      `${lastReview ? 'last review conference' : 'initial conference'} on ${dateWords(new Date(from))} ` +
      `(${runs} runs the plan); it was due by ${dateWords(dueAt)}.`,
  });
  return found;
}

function planExpectations(
  snapshot: CaseSnapshot,
  plan: PlanSnapshot,
  trigger: StalledPlanPolicy,
  ctx: RuleContext,
): Expectation[] {
  if (!planLive(snapshot, plan)) return [];
  const holder = agencyNamer(ctx.agencies)(plan.agencyId);
  const what = `${PLAN_WORDS[plan.kind]} held by ${holder}`;
  const found: Expectation[] = [];
  for (const action of plan.actions) {
    if (action.status !== 'open' || action.dueDate === null) continue;
    const endOfDueDay = endOfDay(action.dueDate);
    if (endOfDueDay === null) continue;
    found.push({
      concern: `action:${plan.ref}:${action.ref}`,
      agencyId: plan.agencyId,
      evidence: action.statusChangeId,
      since: endOfDueDay,
      dueAt: addTimescale(endOfDueDay, trigger.actionOverdueAfter, ctx.calendar),
      reason:
        `An action of the ${what}, due by ${dateWords(new Date(endOfDueDay.getTime() - 1))}, is still not ` +
        `done ${timescaleWords(trigger.actionOverdueAfter)} later.`,
    });
  }
  const every = plan.visitFrequencyDays ?? trigger.defaultVisitFrequencyDays;
  if (every !== null) {
    const seen = plan.lastSeenVisitAt !== null && plan.lastSeenVisitStatusChangeId !== null;
    const from = seen ? plan.lastSeenVisitAt! : plan.startedAt;
    const within = { amount: every, unit: 'calendar-days' } as const;
    const dueAt = addTimescale(new Date(from), within, ctx.calendar);
    found.push({
      concern: `visit:${plan.ref}`,
      agencyId: plan.agencyId,
      evidence: seen ? plan.lastSeenVisitStatusChangeId! : plan.startedStatusChangeId,
      since: new Date(from),
      dueAt,
      reason:
        `The ${PERSON[plan.kind]} has not been seen on a visit under the ${what} within ` +
        `${timescaleWords(within)} of ${seen ? 'the last visit in which they were seen' : 'the plan starting'}, on ` +
        `${dateWords(new Date(from))}; a visit was due by ${dateWords(dueAt)}.`,
    });
  }
  return found;
}

const PLAN_WORDS: Record<PlanKind, string> = {
  'child-protection': 'child protection plan',
  'child-in-need': 'child in need plan',
  'adult-safeguarding': 'safeguarding plan',
};
const PERSON: Record<PlanKind, string> = {
  'child-protection': 'child',
  'child-in-need': 'child',
  'adult-safeguarding': 'adult',
};

/** An agency with no involvement recorded is taken as involved; one whose involvement is closed is not. */
function involvementOpen(snapshot: CaseSnapshot, agencyId: string): boolean {
  return snapshot.involvements.find((i) => i.agencyId === agencyId)?.open !== false;
}

/**
 * A plan is live until it ends, its agency closes its involvement, or (a child protection plan) a conference held
 * since it started decided the child is no longer to have one.
 */
function planLive(snapshot: CaseSnapshot, plan: PlanSnapshot): boolean {
  if (plan.endedAt !== null || !involvementOpen(snapshot, plan.agencyId)) return false;
  const cp = snapshot.childProtection;
  if (plan.kind !== 'child-protection' || !cp || cp.planDecided) return true;
  const latest = latestConference(cp);
  return latest === null || Date.parse(latest) < Date.parse(plan.startedAt);
}

/** The child protection plan the initial conference decided on has ended, and no other is open. */
function childProtectionPlanEnded(snapshot: CaseSnapshot, cp: ChildProtectionSnapshot): boolean {
  const plans = (snapshot.plans ?? []).filter((p) => p.kind === 'child-protection');
  const initial = Date.parse(cp.initialConferenceAt ?? '');
  return (
    plans.some((p) => p.endedAt !== null && Date.parse(p.endedAt) >= initial) &&
    !plans.some((p) => p.endedAt === null)
  );
}

function latestConference(cp: ChildProtectionSnapshot): string | null {
  const times = [cp.initialConferenceAt, cp.lastReviewConferenceAt].filter((t): t is string => t !== null);
  return times.length === 0 ? null : times.reduce((a, b) => (Date.parse(a) >= Date.parse(b) ? a : b));
}

/** The end of a calendar date (YYYY-MM-DD) in London: midnight at the start of the next day; null if malformed. */
export function endOfDay(date: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return null;
  const next = addCivilDays({ year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) }, 1);
  return londonInstant(next, { hour: 0, minute: 0, second: 0, millisecond: 0 });
}
