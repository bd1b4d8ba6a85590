import { addTimescale, calendarFor, type WorkingDayCalendar } from '@mash/escalations';
import { Demo, mkTogetherPolicy, triggerFor, type Timescale } from '@mash/schema';
import { agencyEventsOf, type AgencyEvent } from './agency-events';

export type { AgencyEvent } from './agency-events';

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;

/**
 * The demo stories `npm start` publishes in MK Together, one per automatic ground, as the agencies' own systems
 * publish them. Each is dated so that its escalation is due when it arrives, whatever the day: the times that a
 * policy timescale counts from are found on the partnership's working-day calendar (a grace period or a statutory
 * timescale that ran over a bank holiday reaches further back), never fixed dates.
 */

const mk = agencyEventsOf(Demo.sourceSystems);
const policy = mkTogetherPolicy();
const calendar: WorkingDayCalendar = calendarFor(policy.calendar);

/**
 * The latest whole number of days (at least `atLeastDays`) before `now` from which `timescale` has run out an hour
 * before `now`: a start that far back makes its finding due already. Day by day, so a timescale in working days
 * reaches over weekends and bank holidays (on the Tuesday after a bank holiday Monday, one working day back from
 * three days ago is not enough).
 */
export function startDueBy(
  now: Date,
  timescale: Timescale,
  atLeastDays = 1,
  cal: WorkingDayCalendar = calendar,
): Date {
  const dueBy = now.getTime() - HOUR;
  for (let days = atLeastDays; days <= 400; days++) {
    const start = new Date(now.getTime() - days * DAY);
    if (addTimescale(start, timescale, cal).getTime() <= dueBy) return start;
  }
  throw new RangeError('no start within 400 days makes the timescale run out');
}

function trigger<G extends Parameters<typeof triggerFor>[1]>(ground: G) {
  const found = triggerFor(policy, ground);
  if (!found) throw new Error(`the MK Together demo policy has no ${ground} trigger`);
  return found;
}

/**
 * Child A, threshold disagreement: Children's Services close a police referral with no further action; at least
 * three days later (and longer when the grace period ran over a weekend or bank holiday) police, at a strategy
 * discussion, judge the child protection threshold met. The disagreement has outlasted the policy's grace period
 * by the time it arrives.
 */
export function thresholdDisagreementEvents(now = new Date(), suffix = 'demo'): AgencyEvent[] {
  const viewAt = startDueBy(now, trigger('threshold-disagreement').gracePeriod, 3);
  const nfaAt = new Date(viewAt.getTime() - 7 * DAY);
  return [
    mk.laChildren.referralOutcome({
      id: `lcs-referral-outcome-${suffix}-1`,
      laPersonId: Demo.subject.laPersonId,
      at: nfaAt,
      outcome: 'no-further-action',
    }),
    mk.police.strategyDiscussionView({
      id: `niche-strategy-view-${suffix}-1`,
      policePersonId: Demo.subject.policePersonId,
      at: viewAt,
      threshold: 'child-protection',
    }),
  ];
}

/**
 * Child C, stalled plan: a strategy discussion (police there, judging child protection) started a section 47
 * enquiry longer ago than the statutory 15 working days, and no initial child protection conference has been held.
 */
export function stalledPlanEvents(now = new Date(), suffix = 'demo'): AgencyEvent[] {
  // 15 working days are never fewer than 15 calendar days: the search starts there.
  const within = trigger('stalled-plan').initialConferenceWithin;
  const heldAt = startDueBy(now, within, within.unit === 'working-days' ? within.amount : 1);
  return [
    mk.laChildren.strategyDiscussionOutcome({
      id: `lcs-strategy-discussion-${suffix}-c1`,
      laPersonId: Demo.subjectC.laPersonId,
      at: heldAt,
      s47Started: true,
    }),
    mk.police.strategyDiscussionView({
      id: `niche-strategy-view-${suffix}-c1`,
      policePersonId: Demo.subjectC.policePersonId,
      at: heldAt,
      threshold: 'child-protection',
    }),
  ];
}

/**
 * Child D, disengagement: not brought to a hospital appointment, then absent from school unexplained, within the
 * policy's window of 28 days.
 */
export function disengagementEvents(now = new Date(), suffix = 'demo'): AgencyEvent[] {
  return [
    mk.health.appointmentNotAttended({
      id: `systmone-appointment-${suffix}-d1`,
      nhsNumber: Demo.subjectD.nhsNumber,
      at: new Date(now.getTime() - 9 * DAY),
      wasNotBrought: true,
    }),
    mk.education.unexplainedAbsence({
      id: `cpoms-absence-${suffix}-d1`,
      upn: Demo.subjectD.upn,
      at: new Date(now.getTime() - 4 * DAY),
    }),
  ];
}

/**
 * Child E, increasing risk: police assess domestic abuse risk as high (DASH 16) and refer to MARAC, while
 * Children's Services are not involved at all. One source system, one subject key: the events arrive in order.
 */
export function increasingRiskEvents(now = new Date(), suffix = 'demo'): AgencyEvent[] {
  return [
    mk.police.dashAssessment({
      id: `niche-dash-${suffix}-e1`,
      policePersonId: Demo.subjectE.policePersonId,
      at: new Date(now.getTime() - 3 * DAY),
      score: 16,
    }),
    mk.police.maracReferral({
      id: `niche-marac-${suffix}-e1`,
      policePersonId: Demo.subjectE.policePersonId,
      at: new Date(now.getTime() - 2 * DAY),
    }),
  ];
}

/** Every demo story, one per automatic ground: four open escalations in MK Together once they have gone through. */
export function demoStories(now = new Date(), suffix = 'demo'): AgencyEvent[] {
  return [
    ...thresholdDisagreementEvents(now, suffix),
    ...stalledPlanEvents(now, suffix),
    ...disengagementEvents(now, suffix),
    ...increasingRiskEvents(now, suffix),
  ];
}

/** What the stories raise, for the start banner and the docs. */
export const DEMO_STORY_LINES = [
  'Child A: threshold disagreement (police judge child protection; Children’s Services closed with no further action)',
  'Child C: stalled plan (no initial child protection conference within 15 working days of the s47 strategy discussion)',
  'Child D: disengagement (not brought to hospital, then unexplained school absence, within 28 days)',
  'Child E: increasing risk (DASH 16 and a MARAC referral; Children’s Services not involved)',
] as const;
