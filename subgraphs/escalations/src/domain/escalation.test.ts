import type { EscalationPolicy } from '@mash/schema';
import type { WorkingDayCalendar } from './calendar';
import { EscalationTransitionError } from './errors';
import { acknowledge, addEvidence, advanceOnDeadline, raise, resolve, type RaiseInput } from './escalation';
import type { EscalationState } from './model';

/** Monday to Friday (UTC is fine here: the calendar is not under test). */
const weekdays: WorkingDayCalendar = { isWorkingDay: (d) => d.getUTCDay() !== 0 && d.getUTCDay() !== 6 };

const policy: EscalationPolicy = {
  calendar: 'england-and-wales',
  stages: [
    {
      stage: 1,
      name: 'Practitioner to practitioner',
      ownerRoles: ['practitioner'],
      timescale: { amount: 2, unit: 'working-days' },
      immediateRiskTimescale: { amount: 4, unit: 'hours' },
    },
    {
      stage: 2,
      name: 'Line managers',
      ownerRoles: ['line-manager', 'designated-safeguarding-lead'],
      timescale: { amount: 5, unit: 'working-days' },
      immediateRiskTimescale: null,
    },
    {
      stage: 3,
      name: 'Partnership chair',
      ownerRoles: ['partnership-chair'],
      timescale: null,
      immediateRiskTimescale: null,
    },
  ],
  triggers: [
    {
      ground: 'threshold-disagreement',
      enabled: true,
      minimumSteps: 2,
      highRiskNoFurtherAction: true,
      gracePeriod: { amount: 1, unit: 'working-days' },
    },
  ],
};

// Monday 1 June 2026, 09:00 UTC.
const monday = new Date('2026-06-01T09:00:00.000Z');
const input: RaiseInput = {
  id: 'esc-1',
  caseId: 'case-1',
  partnershipId: 'p-1',
  ground: 'threshold-disagreement',
  raisingAgencyId: 'police',
  receivingAgencyId: 'la',
  evidence: ['sc-1', 'sc-2', 'sc-1'],
  at: monday,
  reason: 'Agency police judges child protection; agency la judges universal (3 steps apart).',
};

const raised = (): EscalationState => raise(input, policy, weekdays).escalation;
const later = (d: Date, hours: number) => new Date(d.getTime() + hours * 3_600_000);

describe('raising an escalation automatically', () => {
  it('starts at stage 1, awaiting acknowledgement, auto-raised, owned by the stage 1 roles', () => {
    const { escalation } = raise(input, policy, weekdays);
    expect(escalation).toMatchObject({
      stage: 1,
      status: 'AWAITING_ACKNOWLEDGEMENT',
      autoRaised: true,
      immediateRisk: false,
      stageOwnerRoles: ['practitioner'],
      raisedAt: monday,
      stageStartedAt: monday,
      resolvedAt: null,
      outcome: null,
    });
  });

  it('sets the deadline from the stage 1 timescale and the working-day calendar', () => {
    expect(raise(input, policy, weekdays).escalation.stageDeadline).toEqual(
      new Date('2026-06-03T09:00:00.000Z'),
    );
  });

  it('uses the immediate-risk timescale when the subject is at immediate risk', () => {
    const { escalation } = raise({ ...input, immediateRisk: true }, policy, weekdays);
    expect(escalation.stageDeadline).toEqual(later(monday, 4));
  });

  it('keeps each piece of evidence once', () => {
    expect(raise(input, policy, weekdays).escalation.evidence).toEqual(['sc-1', 'sc-2']);
  });

  it('records the raise by the system, with the reason', () => {
    expect(raise(input, policy, weekdays).transition).toEqual({
      at: monday,
      fromStage: null,
      toStage: 1,
      fromStatus: null,
      toStatus: 'AWAITING_ACKNOWLEDGEMENT',
      actor: 'system',
      rationale: `Raised automatically: ${input.reason}`,
    });
  });

  it('refuses a policy without a stage 1', () => {
    expect(() => raise(input, { ...policy, stages: policy.stages.slice(1) }, weekdays)).toThrow(
      EscalationTransitionError,
    );
  });
});

describe('adding evidence', () => {
  it('joins only the status changes the escalation did not hold yet', () => {
    const { escalation, added } = addEvidence(raised(), ['sc-2', 'sc-3', 'sc-3']);
    expect(added).toEqual(['sc-3']);
    expect(escalation.evidence).toEqual(['sc-1', 'sc-2', 'sc-3']);
  });

  it('adds nothing when all the evidence is already held', () => {
    expect(addEvidence(raised(), ['sc-1']).added).toEqual([]);
  });

  it('refuses evidence for a resolved escalation', () => {
    const done = resolve(raised(), {
      at: monday,
      actor: 'u',
      outcome: 'AGREED_ACTION_PLAN',
      outstandingIssues: 'none',
      rationale: 'r',
    }).escalation;
    expect(() => addEvidence(done, ['sc-9'])).toThrow(EscalationTransitionError);
  });
});

describe('acknowledging', () => {
  it('moves to discussion at the same stage, recording who and why', () => {
    const { escalation, transition } = acknowledge(raised(), {
      at: later(monday, 1),
      actor: 'contact-la',
      rationale: 'Will call the officer today.',
    });
    expect(escalation.status).toBe('IN_DISCUSSION');
    expect(escalation.stage).toBe(1);
    expect(escalation.stageDeadline).toEqual(new Date('2026-06-03T09:00:00.000Z'));
    expect(transition).toEqual({
      at: later(monday, 1),
      fromStage: 1,
      toStage: 1,
      fromStatus: 'AWAITING_ACKNOWLEDGEMENT',
      toStatus: 'IN_DISCUSSION',
      actor: 'contact-la',
      rationale: 'Will call the officer today.',
    });
  });

  it('refuses a second acknowledgement', () => {
    const once = acknowledge(raised(), { at: monday, actor: 'a', rationale: 'r' }).escalation;
    expect(() => acknowledge(once, { at: monday, actor: 'a', rationale: 'r' })).toThrow(
      /already acknowledged/,
    );
  });

  it('refuses to acknowledge a resolved escalation', () => {
    const done = resolve(raised(), {
      at: monday,
      actor: 'u',
      outcome: 'AGREED_ACTION_PLAN',
      outstandingIssues: 'none',
      rationale: 'r',
    }).escalation;
    expect(() => acknowledge(done, { at: monday, actor: 'a', rationale: 'r' })).toThrow(/already resolved/);
  });
});

describe('moving up when a stage deadline passes', () => {
  const deadline = new Date('2026-06-03T09:00:00.000Z');

  it('moves to the next stage, awaiting its owners, with a deadline from the next timescale', () => {
    const moved = advanceOnDeadline(raised(), deadline, policy, weekdays);
    expect(moved?.escalation).toMatchObject({
      stage: 2,
      status: 'AWAITING_ACKNOWLEDGEMENT',
      stageStartedAt: deadline,
      stageDeadline: new Date('2026-06-10T09:00:00.000Z'),
      stageOwnerRoles: ['line-manager', 'designated-safeguarding-lead'],
    });
  });

  it('records a system move whose rationale names the missed deadline', () => {
    const moved = advanceOnDeadline(raised(), later(deadline, 0.01), policy, weekdays);
    expect(moved?.transition).toMatchObject({
      fromStage: 1,
      toStage: 2,
      fromStatus: 'AWAITING_ACKNOWLEDGEMENT',
      toStatus: 'AWAITING_ACKNOWLEDGEMENT',
      actor: 'system',
    });
    expect(moved?.transition.rationale).toContain('2026-06-03T09:00:00.000Z');
    expect(moved?.transition.rationale).toContain('stage 1 (Practitioner to practitioner) deadline');
    expect(moved?.transition.rationale).toContain('moved to stage 2 (Line managers)');
  });

  it('asks the next stage to acknowledge again even when the last stage was in discussion', () => {
    const talking = acknowledge(raised(), { at: monday, actor: 'a', rationale: 'r' }).escalation;
    const moved = advanceOnDeadline(talking, deadline, policy, weekdays);
    expect(moved?.transition.fromStatus).toBe('IN_DISCUSSION');
    expect(moved?.escalation.status).toBe('AWAITING_ACKNOWLEDGEMENT');
  });

  it('leaves the last stage without a deadline', () => {
    const two = advanceOnDeadline(raised(), deadline, policy, weekdays)!.escalation;
    const three = advanceOnDeadline(two, two.stageDeadline!, policy, weekdays)!.escalation;
    expect(three.stage).toBe(3);
    expect(three.stageDeadline).toBeNull();
    expect(three.stageOwnerRoles).toEqual(['partnership-chair']);
  });

  it('moves nothing at the last stage', () => {
    const last: EscalationState = { ...raised(), stage: 3, stageDeadline: deadline };
    expect(advanceOnDeadline(last, deadline, policy, weekdays)).toBeNull();
  });

  it('refuses to move before the deadline', () => {
    expect(() => advanceOnDeadline(raised(), later(deadline, -1), policy, weekdays)).toThrow(
      EscalationTransitionError,
    );
  });

  it('refuses to move a resolved escalation', () => {
    const done = resolve(raised(), {
      at: monday,
      actor: 'u',
      outcome: 'AGREED_ACTION_PLAN',
      outstandingIssues: 'none',
      rationale: 'r',
    }).escalation;
    expect(() => advanceOnDeadline(done, deadline, policy, weekdays)).toThrow(/already resolved/);
  });

  it('keeps immediate-risk timescales at the next stage when it has one, else the ordinary one', () => {
    const urgent = raise({ ...input, immediateRisk: true }, policy, weekdays).escalation;
    const moved = advanceOnDeadline(urgent, urgent.stageDeadline!, policy, weekdays);
    expect(moved?.escalation.immediateRisk).toBe(true);
    expect(moved?.escalation.stageDeadline).toEqual(new Date('2026-06-08T13:00:00.000Z'));
  });
});

describe('resolving', () => {
  it('closes the escalation with its outcome and clears the deadline', () => {
    const at = later(monday, 30);
    const { escalation, transition } = resolve(raised(), {
      at,
      actor: 'contact-police',
      outcome: 'AGREED_ACTION_PLAN',
      outstandingIssues: 'Children’s services convene a strategy discussion by Friday.',
      rationale: 'Agreed at a joint meeting.',
    });
    expect(escalation).toMatchObject({
      status: 'RESOLVED',
      resolvedAt: at,
      outcome: 'AGREED_ACTION_PLAN',
      outstandingIssues: 'Children’s services convene a strategy discussion by Friday.',
      stageDeadline: null,
      stage: 1,
    });
    expect(transition).toMatchObject({
      fromStatus: 'AWAITING_ACKNOWLEDGEMENT',
      toStatus: 'RESOLVED',
      toStage: 1,
    });
  });

  it('resolves from discussion', () => {
    const talking = acknowledge(raised(), { at: monday, actor: 'a', rationale: 'r' }).escalation;
    expect(
      resolve(talking, {
        at: monday,
        actor: 'a',
        outcome: 'WITHDRAWN',
        outstandingIssues: 'none',
        rationale: 'r',
      }).escalation.status,
    ).toBe('RESOLVED');
  });

  it('refuses to resolve twice', () => {
    const done = resolve(raised(), {
      at: monday,
      actor: 'u',
      outcome: 'AGREED_ACTION_PLAN',
      outstandingIssues: 'none',
      rationale: 'r',
    }).escalation;
    expect(() =>
      resolve(done, {
        at: monday,
        actor: 'u',
        outcome: 'AGREED_ACTION_PLAN',
        outstandingIssues: 'none',
        rationale: 'r',
      }),
    ).toThrow(EscalationTransitionError);
  });
});
