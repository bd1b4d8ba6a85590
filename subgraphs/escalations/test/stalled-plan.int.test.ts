import type { ChildProtectionSnapshot, PlanSnapshot } from '@mash/schema';
import { HEALTH, LA, caseEventWith } from '@test/support/fixtures/escalations';
import {
  engineAndScheduler,
  escalationsOf,
  evidenceOf,
  findingTimersOf,
  historyOf,
} from '@test/support/fixtures/escalations-harness';

// Integration: stalled-plan expectations wait on timers in the real database and fire from the injected clock when
// the expected event has not arrived; the expected event disarms them.

const protection = (p: Partial<ChildProtectionSnapshot>): ChildProtectionSnapshot => ({
  agencyId: LA,
  enquiryStartedAt: '2026-06-01T09:00:00.000Z',
  enquiryStatusChangeId: 'sc-strategy',
  initialConferenceAt: null,
  initialConferenceStatusChangeId: null,
  planDecided: false,
  firstCoreGroupAt: null,
  lastCoreGroupAt: null,
  lastCoreGroupStatusChangeId: null,
  lastReviewConferenceAt: null,
  lastReviewConferenceStatusChangeId: null,
  ...p,
});
const strategyDiscussion = (caseId: string) =>
  caseEventWith(
    caseId,
    `sc-strategy-${caseId}`,
    LA,
    'strategy-discussion',
    { s47Started: true },
    {
      involved: [LA, HEALTH],
      childProtection: protection({ enquiryStatusChangeId: `sc-strategy-${caseId}` }),
    },
  );
const timerKey = (caseId: string, concern: string) =>
  `grace:${caseId}:stalled-plan:${HEALTH}:${LA}:${concern}`;

describe('stalled plan: the initial conference is late', () => {
  const t = engineAndScheduler('2026-06-01T09:00:00.000Z');
  const caseId = 'stalled-plan-late-conference';

  it('raises from the clock, with no event, when no initial conference follows the strategy discussion', async () => {
    const { clock, engine, scheduler, dataSource: ds } = t;
    expect(await engine.handle(strategyDiscussion(caseId))).toEqual({
      replay: false,
      findings: 1,
      evidenceAdded: 0,
      timersArmed: 1,
      timersDisarmed: 0,
    });
    // Monday 1 June 10:00 BST plus 15 working days: Monday 22 June 10:00 BST.
    expect(await findingTimersOf(ds, caseId)).toEqual([
      {
        key: timerKey(caseId, 'initial-conference'),
        kind: 'grace',
        due_at: new Date('2026-06-22T09:00:00.000Z'),
        fired_at: null,
      },
    ]);

    clock.set('2026-06-22T08:59:59.000Z');
    expect(await scheduler.runOnce()).toEqual([]);
    clock.set('2026-06-22T09:00:00.000Z');
    expect(await scheduler.runOnce()).toEqual(['raised']);

    const [raised, ...more] = await escalationsOf(ds, caseId);
    expect(more).toEqual([]);
    expect(raised).toMatchObject({
      stage: 1,
      status: 'AWAITING_ACKNOWLEDGEMENT',
      auto_raised: true,
      raising_agency_id: HEALTH,
      receiving_agency_id: LA,
      raised_at: new Date('2026-06-22T09:00:00.000Z'),
    });
    expect(await evidenceOf(ds, raised!.id)).toEqual([`sc-strategy-${caseId}`]);
    expect((await historyOf(ds, raised!.id)).map((h) => h.rationale)).toEqual([
      "Raised automatically: Milton Keynes Council Children's Services has held no initial child protection " +
        'conference within 15 working days of the strategy discussion that started the section 47 enquiry on 1 ' +
        'June 2026; it was due by 22 June 2026.',
    ]);
    expect((await findingTimersOf(ds, caseId))[0]?.fired_at).toEqual(new Date('2026-06-22T09:00:00.000Z'));
  });
});

describe('stalled plan: the initial conference is held in time', () => {
  const t = engineAndScheduler('2026-06-01T09:00:00.000Z');
  const caseId = 'stalled-plan-conference-in-time';

  it('disarms the initial-conference timer when the conference arrives, and expects the core group and review', async () => {
    const { clock, engine, scheduler, dataSource: ds } = t;
    await engine.handle(strategyDiscussion(caseId));
    clock.set('2026-06-10T09:00:00.000Z');
    const conference = caseEventWith(
      caseId,
      'sc-initial',
      LA,
      'child-protection-conference',
      { conference: { type: 'initial', planDecided: true } },
      {
        involved: [LA, HEALTH],
        childProtection: protection({
          enquiryStatusChangeId: `sc-strategy-${caseId}`,
          initialConferenceAt: '2026-06-10T09:00:00.000Z',
          initialConferenceStatusChangeId: 'sc-initial',
          planDecided: true,
        }),
      },
    );
    expect(await engine.handle(conference)).toEqual({
      replay: false,
      findings: 2,
      evidenceAdded: 0,
      timersArmed: 2,
      timersDisarmed: 1,
    });
    expect(await findingTimersOf(ds, caseId)).toEqual([
      {
        key: timerKey(caseId, 'first-core-group'),
        kind: 'grace',
        due_at: new Date('2026-06-24T09:00:00.000Z'),
        fired_at: null,
      },
      {
        key: timerKey(caseId, 'review-conference'),
        kind: 'grace',
        due_at: new Date('2026-09-10T09:00:00.000Z'),
        fired_at: null,
      },
    ]);

    // The strategy discussion's deadline passes: nothing waits for it any more.
    clock.set('2026-06-22T09:00:00.000Z');
    expect(await scheduler.runOnce()).toEqual([]);
    expect(await escalationsOf(ds, caseId)).toEqual([]);

    // The first core group meets in time: its timer is disarmed too, the review still waits.
    clock.set('2026-06-23T09:00:00.000Z');
    const coreGroup = caseEventWith(
      caseId,
      'sc-core',
      LA,
      'core-group',
      {},
      {
        involved: [LA, HEALTH],
        childProtection: protection({
          enquiryStatusChangeId: `sc-strategy-${caseId}`,
          initialConferenceAt: '2026-06-10T09:00:00.000Z',
          initialConferenceStatusChangeId: 'sc-initial',
          planDecided: true,
          firstCoreGroupAt: '2026-06-23T09:00:00.000Z',
          lastCoreGroupAt: '2026-06-23T09:00:00.000Z',
          lastCoreGroupStatusChangeId: 'sc-core',
        }),
      },
    );
    expect(await engine.handle(coreGroup)).toMatchObject({ findings: 1, timersDisarmed: 1 });
    clock.set('2026-06-24T09:00:00.000Z');
    expect(await scheduler.runOnce()).toEqual([]);
    expect((await findingTimersOf(ds, caseId)).map((r) => r.key)).toEqual([
      timerKey(caseId, 'review-conference'),
    ]);
  });
});

describe('stalled plan: overdue plan actions', () => {
  const t = engineAndScheduler('2026-06-01T09:00:00.000Z');
  const caseId = 'stalled-plan-actions';
  const plan = (actions: PlanSnapshot['actions']): PlanSnapshot => ({
    ref: 'plan-1',
    agencyId: LA,
    kind: 'child-protection',
    startedAt: '2026-05-20T09:00:00.000Z',
    startedStatusChangeId: 'sc-plan',
    endedAt: null,
    visitFrequencyDays: null,
    lastSeenVisitAt: null,
    lastSeenVisitStatusChangeId: null,
    actions,
  });
  const action = (ref: string, dueDate: string, status: 'open' | 'done' = 'open') => ({
    ref,
    description: 'Plain words',
    status,
    dueDate,
    statusChangeId: `sc-${ref}`,
  });

  it('raises the first overdue action, and a second one joins the open escalation when it falls due', async () => {
    const { clock, engine, scheduler, dataSource: ds } = t;
    await engine.handle(
      caseEventWith(
        caseId,
        'sc-action-2',
        LA,
        'plan-action',
        {},
        {
          involved: [LA, HEALTH],
          plans: [plan([action('action-1', '2026-06-05'), action('action-2', '2026-06-08')])],
        },
      ),
    );
    // End of Friday 5 June plus 5 working days: Monday 15 June 00:00 BST; of Monday 8 June: Tuesday 16 June.
    expect((await findingTimersOf(ds, caseId)).map((r) => [r.key, r.due_at])).toEqual([
      [timerKey(caseId, 'action:plan-1:action-1'), new Date('2026-06-14T23:00:00.000Z')],
      [timerKey(caseId, 'action:plan-1:action-2'), new Date('2026-06-15T23:00:00.000Z')],
    ]);
    clock.set('2026-06-14T23:00:00.000Z');
    expect(await scheduler.runOnce()).toEqual(['raised']);
    clock.set('2026-06-15T23:00:00.000Z');
    expect(await scheduler.runOnce()).toEqual(['joined']);
    const [open, ...more] = await escalationsOf(ds, caseId);
    expect(more).toEqual([]);
    expect(await evidenceOf(ds, open!.id)).toEqual(['sc-action-1', 'sc-action-2']);
  });

  it('disarms an action timer when the action is done before it is overdue', async () => {
    const { engine, dataSource: ds } = t;
    const other = `${caseId}-done`;
    await engine.handle(
      caseEventWith(
        other,
        'sc-x-1',
        LA,
        'plan-action',
        {},
        {
          involved: [LA, HEALTH],
          plans: [plan([action('action-3', '2026-06-30')])],
        },
      ),
    );
    expect(await findingTimersOf(ds, other)).toHaveLength(1);
    expect(
      await engine.handle(
        caseEventWith(
          other,
          'sc-x-2',
          LA,
          'plan-action',
          {},
          {
            involved: [LA, HEALTH],
            plans: [plan([action('action-3', '2026-06-30', 'done')])],
          },
        ),
      ),
    ).toMatchObject({ findings: 0, timersDisarmed: 1 });
    expect(await findingTimersOf(ds, other)).toEqual([]);
  });
});
