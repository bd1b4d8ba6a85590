import { addTimescale, calendarFor } from '@mash/escalations';
import { Demo, mkTogetherPolicy, triggerFor } from '@mash/schema';
import { demoStories, startDueBy, stalledPlanEvents, thresholdDisagreementEvents } from './demo-events';

const DAY = 24 * 3600 * 1000;
const calendar = calendarFor('england-and-wales');
const policy = mkTogetherPolicy();
const grace = triggerFor(policy, 'threshold-disagreement')!.gracePeriod;
const initialConference = triggerFor(policy, 'stalled-plan')!.initialConferenceWithin;

const timeOf = (events: ReturnType<typeof demoStories>, id: string): Date => {
  const found = events.find((e) => e.event.id === id);
  if (!found) throw new Error(`no event ${id}`);
  return new Date(found.event.time!);
};

describe('the demo stories are due whatever the day npm start runs', () => {
  // Every day of a year at 09:00 UTC (Christmas and New Year 2026/27, Easter 2027, May and August bank holidays,
  // both clock changes); for the grace period also every hour from Christmas Eve 2026 to 6 January 2027.
  const days: Date[] = [];
  for (let t = Date.parse('2026-12-01T09:00:00Z'); t < Date.parse('2027-12-01T00:00:00Z'); t += DAY) {
    days.push(new Date(t));
  }
  const hours: Date[] = [];
  for (let t = Date.parse('2026-12-24T00:00:00Z'); t < Date.parse('2027-01-06T00:00:00Z'); t += 3600_000) {
    hours.push(new Date(t));
  }

  it('dates the police view so that the disagreement has outlasted the grace period, at least three days back', () => {
    const late = [...days, ...hours].filter((now) => {
      const viewAt = timeOf(thresholdDisagreementEvents(now), 'niche-strategy-view-demo-1');
      return (
        addTimescale(viewAt, grace, calendar).getTime() > now.getTime() - 3600_000 ||
        now.getTime() - viewAt.getTime() < 3 * DAY
      );
    });
    expect(late).toEqual([]);
  });

  it('dates the s47 strategy discussion more than 15 working days back', () => {
    const late = days.filter((now) => {
      const heldAt = timeOf(stalledPlanEvents(now), 'lcs-strategy-discussion-demo-c1');
      return addTimescale(heldAt, initialConference, calendar).getTime() > now.getTime() - 3600_000;
    });
    expect(late).toEqual([]);
  });

  it('reaches past a bank holiday: on the Tuesday after Christmas 2026, three days back is not enough', () => {
    // Friday 25 and Monday 28 December 2026 are bank holidays (Boxing Day falls on a Saturday).
    const now = new Date('2026-12-29T09:00:00Z');
    const threeDaysBack = new Date(now.getTime() - 3 * DAY);
    expect(addTimescale(threeDaysBack, grace, calendar)).toEqual(new Date('2026-12-30T09:00:00Z'));
    const viewAt = startDueBy(now, grace, 3);
    // Thursday 24 December plus one working day is Tuesday 29 December at 09:00, not an hour before now: the
    // view is dated Wednesday 23 December, due on the 24th.
    expect(viewAt).toEqual(new Date('2026-12-23T09:00:00Z'));
    expect(addTimescale(viewAt, grace, calendar)).toEqual(new Date('2026-12-24T09:00:00Z'));
  });

  it('publishes one story per automatic ground, each to its child, in MK Together source systems', () => {
    const now = new Date('2026-11-30T12:00:00Z');
    const events = demoStories(now, 'demo-x');
    expect(events.map((e) => [e.event.type, e.key])).toEqual([
      ['uk.mash.la-children.referral-outcome.v1', Demo.subject.laPersonId],
      ['uk.mash.police.strategy-discussion-view.v1', Demo.subject.policePersonId],
      ['uk.mash.la-children.strategy-discussion-outcome.v1', Demo.subjectC.laPersonId],
      ['uk.mash.police.strategy-discussion-view.v1', Demo.subjectC.policePersonId],
      ['uk.mash.health.appointment-not-attended.v1', Demo.subjectD.nhsNumber],
      ['uk.mash.education.unexplained-absence.v1', Demo.subjectD.upn],
      ['uk.mash.police.dash-assessment.v1', Demo.subjectE.policePersonId],
      ['uk.mash.police.marac-referral.v1', Demo.subjectE.policePersonId],
    ]);
    expect(new Set(events.map((e) => e.event.source))).toEqual(
      // Children's stories: every MK Together source system but the adults' services'.
      new Set(
        Object.entries(Demo.sourceSystems)
          .filter(([name]) => name !== 'laAdults')
          .map(([, s]) => `urn:mash:source:${s.code}`),
      ),
    );
    expect(new Set(events.map((e) => e.event.id)).size).toBe(events.length);
    expect(events.every((e) => e.event.id.includes('demo-x'))).toBe(true);
    // Nothing dated in the future.
    expect(events.filter((e) => new Date(e.event.time!) > now)).toEqual([]);
  });
});
