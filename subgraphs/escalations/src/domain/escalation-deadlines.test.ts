import { lincolnshirePolicy, mkTogetherPolicy, type EscalationPolicy, type PolicyStage } from '@mash/schema';
import { englandAndWalesCalendar } from './calendars';
import {
  advanceOnDeadline,
  raise,
  stageClock,
  type RaiseInput,
  type StageHistory,
  type StageRecord,
} from './escalation';
import type { EscalationState } from './model';

// Stage deadlines under the demo partnerships' own policies (the documents the directory serves), on the real
// England and Wales calendar: anchored timescales, bank holidays and clock changes.

const calendar = englandAndWalesCalendar();
const mk = mkTogetherPolicy();
const lincs = lincolnshirePolicy();
const at = (iso: string) => new Date(iso);

function stageOf(policy: EscalationPolicy, n: number): PolicyStage {
  const stage = policy.stages.find((s) => s.stage === n);
  if (!stage) throw new Error(`no stage ${n}`);
  return stage;
}

const stage1 = (startedAt: string, firstMeetingAt: string | null = null): StageRecord => ({
  stage: 1,
  startedAt: at(startedAt),
  firstMeetingAt: firstMeetingAt === null ? null : at(firstMeetingAt),
});

/** MK Together's stage 3 anchored on another event, or counted in working days, for the cases that need one. */
const mkStage3 = (changes: Partial<PolicyStage>): PolicyStage => ({ ...stageOf(mk, 3), ...changes });

describe('when a stage deadline falls', () => {
  it.each<[string, PolicyStage, string, StageHistory, boolean, string | null, RegExp | '']>([
    [
      'an unanchored stage counts from its own start, in working days across Christmas and New Year',
      stageOf(mk, 2),
      // Thursday 24 December 2026: 29, 30, 31 December, 4 and 5 January (25, 28 December and 1 January are
      // bank holidays).
      '2026-12-24T10:00:00.000Z',
      [],
      false,
      '2027-01-05T10:00:00.000Z',
      '',
    ],
    [
      "MK stage 3 counts 10 days from the first professionals' meeting when one is recorded",
      stageOf(mk, 3),
      '2026-06-12T09:00:00.000Z',
      [stage1('2026-06-01T09:00:00.000Z', '2026-06-05T13:00:00.000Z')],
      false,
      '2026-06-15T13:00:00.000Z',
      /^Its deadline is 10 calendar days from the first meeting at stage 1 \(2026-06-05T13:00:00\.000Z\): 2026-06-15T13:00:00\.000Z\.$/,
    ],
    [
      "MK stage 3 counts from stage 1's start while no meeting is recorded",
      stageOf(mk, 3),
      '2026-06-10T09:00:00.000Z',
      [stage1('2026-06-01T09:00:00.000Z')],
      false,
      '2026-06-11T09:00:00.000Z',
      /^No meeting is recorded at stage 1, so its start stands in for its first meeting\. Its deadline is 10 calendar days from the start of stage 1 \(2026-06-01T09:00:00\.000Z\): 2026-06-11T09:00:00\.000Z\.$/,
    ],
    [
      'an anchored deadline already passed when the stage starts: the stage gets its timescale from its own start',
      stageOf(mk, 3),
      '2026-06-12T09:00:00.000Z',
      [stage1('2026-06-01T09:00:00.000Z')],
      false,
      '2026-06-22T09:00:00.000Z',
      /Its deadline of 10 calendar days from the start of stage 1 \(2026-06-01T09:00:00\.000Z\), 2026-06-11T09:00:00\.000Z, had already passed when this stage started, so it runs 10 calendar days from its own start: 2026-06-22T09:00:00\.000Z\.$/,
    ],
    [
      'an anchored deadline falling exactly at the stage start counts as passed',
      stageOf(mk, 3),
      '2026-06-11T09:00:00.000Z',
      [stage1('2026-06-01T09:00:00.000Z')],
      false,
      '2026-06-21T09:00:00.000Z',
      /had already passed/,
    ],
    [
      'an anchor across the autumn clock change keeps the London wall-clock time (10 × 24 + 1 hours)',
      stageOf(mk, 3),
      '2026-10-30T12:00:00.000Z',
      // Friday 23 October 2026 10:00 BST; the clocks go back on Sunday 25 October.
      [stage1('2026-10-19T09:00:00.000Z', '2026-10-23T09:00:00.000Z')],
      false,
      '2026-11-02T10:00:00.000Z',
      /first meeting at stage 1/,
    ],
    [
      'an anchor in calendar days runs through the Christmas bank holidays',
      stageOf(mk, 3),
      '2026-12-29T10:00:00.000Z',
      [stage1('2026-12-14T10:00:00.000Z', '2026-12-21T10:00:00.000Z')],
      false,
      '2026-12-31T10:00:00.000Z',
      /first meeting at stage 1/,
    ],
    [
      'an anchor in working days skips Christmas, Boxing Day (substitute) and New Year',
      mkStage3({ timescale: { amount: 10, unit: 'working-days' } }),
      '2027-01-04T10:00:00.000Z',
      // From Monday 21 December 2026: 22, 23, 24, 29, 30, 31 December, 4, 5, 6, 7 January.
      [stage1('2026-12-14T10:00:00.000Z', '2026-12-21T10:00:00.000Z')],
      false,
      '2027-01-07T10:00:00.000Z',
      /10 working days from the first meeting at stage 1/,
    ],
    [
      "a stage-start anchor counts from the anchored stage's start even when a meeting is recorded",
      mkStage3({ anchor: { stage: 1, event: 'stage-start' } }),
      '2026-06-08T09:00:00.000Z',
      [stage1('2026-06-01T09:00:00.000Z', '2026-06-05T13:00:00.000Z')],
      false,
      '2026-06-11T09:00:00.000Z',
      /^Its deadline is 10 calendar days from the start of stage 1 \(2026-06-01T09:00:00\.000Z\): /,
    ],
    [
      'an anchored stage the escalation never passed through: the stage counts from its own start',
      stageOf(mk, 3),
      '2026-06-12T09:00:00.000Z',
      [{ stage: 2, startedAt: at('2026-06-05T09:00:00.000Z'), firstMeetingAt: null }],
      false,
      '2026-06-22T09:00:00.000Z',
      /^Its deadline counts from stage 1's first meeting, but the escalation did not pass through stage 1, so it runs 10 calendar days from its own start: 2026-06-22T09:00:00\.000Z\.$/,
    ],
    [
      "immediate risk runs on the stage's hours from its own start, whatever the anchor",
      stageOf(mk, 3),
      '2026-06-12T09:00:00.000Z',
      [stage1('2026-06-01T09:00:00.000Z', '2026-06-05T13:00:00.000Z')],
      true,
      '2026-06-13T09:00:00.000Z',
      '',
    ],
    ['the last stage has no deadline', stageOf(mk, 4), '2026-06-12T09:00:00.000Z', [], false, null, ''],
  ])('%s', (_case, stage, start, history, immediateRisk, deadline, explanation) => {
    const clock = stageClock(stage, at(start), immediateRisk, calendar, history);
    expect(clock.deadline).toEqual(deadline === null ? null : at(deadline));
    if (explanation === '') expect(clock.explanation).toBe('');
    else expect(clock.explanation).toMatch(explanation);
  });
});

describe('moving up into an anchored stage', () => {
  const input: RaiseInput = {
    id: 'esc-1',
    caseId: 'case-1',
    partnershipId: 'p-1',
    ground: 'threshold-disagreement',
    raisingAgencyId: 'police',
    receivingAgencyId: 'la',
    evidence: ['sc-1'],
    // Monday 1 June 2026, 10:00 BST.
    at: at('2026-06-01T09:00:00.000Z'),
    reason: 'Police judge child protection; children’s services judge universal.',
  };

  /** Raised, then moved up at each deadline with the history the timer would read from the transitions. */
  function walk(policy: EscalationPolicy, firstMeetingAt: string | null): EscalationState[] {
    const states = [raise(input, policy, calendar).escalation];
    const history: StageRecord[] = [];
    for (;;) {
      const current = states[states.length - 1]!;
      history.push({
        stage: current.stage,
        startedAt: current.stageStartedAt,
        firstMeetingAt: current.stage === 1 && firstMeetingAt ? at(firstMeetingAt) : null,
      });
      if (current.stageDeadline === null) return states;
      const moved = advanceOnDeadline(current, current.stageDeadline, policy, calendar, history);
      if (!moved) return states;
      states.push(moved.escalation);
    }
  }

  it("MK Together: a late first meeting gives the heads of service 10 days from it, as the stage's rationale says", () => {
    // The professionals meet on Saturday 6 June; stage 2 runs 8 to 15 June; the heads of service meet by 16 June.
    const states = walk(mk, '2026-06-06T09:00:00.000Z');
    expect(
      states.map((s) => [s.stage, s.stageStartedAt.toISOString(), s.stageDeadline?.toISOString() ?? null]),
    ).toEqual([
      [1, '2026-06-01T09:00:00.000Z', '2026-06-08T09:00:00.000Z'],
      [2, '2026-06-08T09:00:00.000Z', '2026-06-15T09:00:00.000Z'],
      [3, '2026-06-15T09:00:00.000Z', '2026-06-16T09:00:00.000Z'],
      [4, '2026-06-16T09:00:00.000Z', null],
    ]);
  });

  it('MK Together: with no meeting recorded the anchored deadline has passed, so stage 3 runs from its start', () => {
    const states = walk(mk, null);
    expect(states[2]?.stageDeadline).toEqual(at('2026-06-25T09:00:00.000Z'));
    const three = advanceOnDeadline(states[1]!, states[1]!.stageDeadline!, mk, calendar, [
      { stage: 1, startedAt: states[0]!.stageStartedAt, firstMeetingAt: null },
    ]);
    expect(three?.transition.rationale).toBe(
      'The stage 2 (Line managers and safeguarding leads) deadline of 2026-06-15T09:00:00.000Z passed without ' +
        'resolution; moved to stage 3 (Heads of service meet). No meeting is recorded at stage 1, so its start ' +
        'stands in for its first meeting. Its deadline of 10 calendar days from the start of stage 1 ' +
        '(2026-06-01T09:00:00.000Z), 2026-06-11T09:00:00.000Z, had already passed when this stage started, so it ' +
        'runs 10 calendar days from its own start: 2026-06-25T09:00:00.000Z.',
    );
  });

  it('takes the current stage from the escalation when the history leaves it out', () => {
    const policy: EscalationPolicy = {
      ...mk,
      stages: mk.stages.map((s) =>
        s.stage === 3 ? { ...s, anchor: { stage: 2, event: 'stage-start' } } : s,
      ),
    };
    const two = advanceOnDeadline(
      raise(input, policy, calendar).escalation,
      at('2026-06-08T09:00:00.000Z'),
      policy,
      calendar,
    )!.escalation;
    // Stage 2 began on 8 June; its 5 working days end on 15 June; stage 3's 10 days from 8 June end on 18 June.
    const three = advanceOnDeadline(two, two.stageDeadline!, policy, calendar, []);
    expect(three?.escalation.stageDeadline).toEqual(at('2026-06-18T09:00:00.000Z'));
  });
});

describe('the same raise under two partnerships’ policies', () => {
  const raiseUnder = (policy: EscalationPolicy, when: string) =>
    raise(
      {
        id: 'esc-1',
        caseId: 'case-1',
        partnershipId: 'p-1',
        ground: 'threshold-disagreement',
        raisingAgencyId: 'police',
        receivingAgencyId: 'la',
        evidence: [],
        at: at(when),
        reason: 'the same disagreement',
      },
      policy,
      calendar,
    ).escalation;

  it.each([
    // Monday 1 June 2026, 10:00 BST: MK Together 7 calendar days; Lincolnshire 2 working days.
    ['2026-06-01T09:00:00.000Z', '2026-06-08T09:00:00.000Z', '2026-06-03T09:00:00.000Z'],
    // Wednesday 23 December 2026: Lincolnshire's 2 working days are 24 and 29 December.
    ['2026-12-23T10:00:00.000Z', '2026-12-30T10:00:00.000Z', '2026-12-29T10:00:00.000Z'],
    // Friday 27 March 2026 10:00 GMT, before the spring clock change: 7 days on is 10:00 BST.
    ['2026-03-27T10:00:00.000Z', '2026-04-03T09:00:00.000Z', '2026-03-31T09:00:00.000Z'],
  ])(
    'raised at %s: stage 1 ends at %s in Milton Keynes and %s in Lincolnshire',
    (raisedAt, mkDeadline, lincsDeadline) => {
      expect(raiseUnder(mk, raisedAt).stageDeadline).toEqual(at(mkDeadline));
      expect(raiseUnder(lincs, raisedAt).stageDeadline).toEqual(at(lincsDeadline));
    },
  );

  it('gives other deadlines at every stage: Lincolnshire’s stage 3 runs 48 hours', () => {
    const walk = (policy: EscalationPolicy) => {
      const deadlines: (string | null)[] = [];
      let e = raiseUnder(policy, '2026-06-01T09:00:00.000Z');
      const history: StageRecord[] = [];
      for (;;) {
        deadlines.push(e.stageDeadline?.toISOString() ?? null);
        history.push({ stage: e.stage, startedAt: e.stageStartedAt, firstMeetingAt: null });
        if (!e.stageDeadline) return deadlines;
        const moved = advanceOnDeadline(e, e.stageDeadline, policy, calendar, history);
        if (!moved) return deadlines;
        e = moved.escalation;
      }
    };
    expect(walk(mk)).toEqual([
      '2026-06-08T09:00:00.000Z',
      '2026-06-15T09:00:00.000Z',
      '2026-06-25T09:00:00.000Z',
      null,
    ]);
    expect(walk(lincs)).toEqual([
      '2026-06-03T09:00:00.000Z',
      '2026-06-10T09:00:00.000Z',
      '2026-06-12T09:00:00.000Z',
      null,
    ]);
  });
});
