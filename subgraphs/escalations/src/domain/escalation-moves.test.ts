import type { EscalationPolicy } from '@mash/schema';
import type { WorkingDayCalendar } from './calendar';
import { EscalationInputError, EscalationTransitionError } from './errors';
import {
  acknowledge,
  advance,
  lapseOnDeadline,
  raise,
  raiseByPerson,
  redirect,
  resolve,
  type PersonRaiseInput,
  type StageHistory,
} from './escalation';
import {
  conveneResolutionPanel,
  recordLearning,
  recordMeeting,
  recordPanelDecision,
  stageAt,
  type PanelDirectory,
} from './escalation-records';
import type { EscalationState, Participant, ResolutionPanel } from './model';

// Every move people make on an escalation, and every refusal, on the pure state machine.

/** Monday to Friday (UTC is fine here: the calendar is not under test). */
const weekdays: WorkingDayCalendar = { isWorkingDay: (d) => d.getUTCDay() !== 0 && d.getUTCDay() !== 6 };

/** Four stages; stage 3 counts 10 days from the first meeting at stage 1 (MK Together's shape, seed 004). */
const policy: EscalationPolicy = {
  calendar: 'england-and-wales',
  stages: [
    {
      stage: 1,
      name: 'Practitioners',
      ownerRoles: ['practitioner'],
      timescale: { amount: 7, unit: 'calendar-days' },
      immediateRiskTimescale: { amount: 4, unit: 'hours' },
    },
    {
      stage: 2,
      name: 'Line managers',
      ownerRoles: ['line-manager', 'designated-safeguarding-lead'],
      timescale: { amount: 5, unit: 'working-days' },
      immediateRiskTimescale: { amount: 8, unit: 'hours' },
    },
    {
      stage: 3,
      name: 'Heads of service',
      ownerRoles: ['head-of-service'],
      timescale: { amount: 10, unit: 'calendar-days' },
      anchor: { stage: 1, event: 'first-meeting' },
      immediateRiskTimescale: { amount: 24, unit: 'hours' },
    },
    {
      stage: 4,
      name: 'Partnership chair',
      ownerRoles: ['partnership-chair'],
      timescale: { amount: 20, unit: 'working-days' },
      immediateRiskTimescale: null,
    },
  ],
  triggers: [],
};

// Monday 1 June 2026, 09:00 UTC.
const monday = new Date('2026-06-01T09:00:00.000Z');
const hours = (n: number, from = monday) => new Date(from.getTime() + n * 3_600_000);

const person: PersonRaiseInput = {
  id: 'esc-1',
  caseId: 'case-1',
  partnershipId: 'p-1',
  ground: 'information-not-shared',
  raisingAgencyId: 'police',
  receivingAgencyId: 'la',
  at: monday,
  reason: 'The school was not told of the strategy discussion.',
  raisedBy: 'contact-police-officer',
  immediateRisk: false,
};

const awaiting = (): EscalationState => raiseByPerson(person, policy, weekdays).escalation;
const inDiscussion = (): EscalationState =>
  acknowledge(awaiting(), { at: hours(1), actor: 'la', rationale: 'Meeting booked.' }).escalation;
const atLastStage = (): EscalationState => ({
  ...awaiting(),
  stage: 4,
  stageOwnerRoles: ['partnership-chair'],
  stageDeadline: new Date('2026-06-29T09:00:00.000Z'),
});
const resolved = (): EscalationState =>
  resolve(inDiscussion(), {
    at: hours(2),
    actor: 'la',
    outcome: 'AGREED_ACTION_PLAN',
    outstandingIssues: 'None.',
    rationale: 'Agreed.',
  }).escalation;
const redirected = (): EscalationState =>
  redirect(awaiting(), { at: hours(2), actor: 'la', route: 'LADO', rationale: 'About an officer.' })
    .escalation;

const people: Participant[] = [
  { contactId: 'officer', agencyId: 'police' },
  { contactId: 'social-worker', agencyId: 'la' },
];
const directory = new Map([
  ['officer', 'police'],
  ['social-worker', 'la'],
  ['nurse', 'health'],
  ['police-head', 'police'],
  ['la-head', 'la'],
  ['school-dsl', 'education'],
]);
const panelDirectory: PanelDirectory = {
  agencyOf: directory,
  agencies: new Map([
    ['police', 'Thames Valley Police'],
    ['la', "Children's Services"],
    ['health', 'Hospital'],
    ['education', 'School'],
  ]),
  disputingWithContacts: new Set(['police', 'la']),
};
const panelMembers: Participant[] = [
  { contactId: 'police-head', agencyId: 'police' },
  { contactId: 'la-head', agencyId: 'la' },
  { contactId: 'nurse', agencyId: 'health' },
];
const panel: ResolutionPanel = {
  convenedAt: hours(3),
  convenedBy: 'chair',
  members: panelMembers,
  decision: null,
};

type Move = (e: EscalationState) => unknown;
const at = hours(3);
const MOVES: Record<string, Move> = {
  acknowledge: (e) => acknowledge(e, { at, actor: 'a', rationale: 'r' }),
  advance: (e) => advance(e, { at, actor: 'a', rationale: 'r' }, policy, weekdays),
  resolve: (e) =>
    resolve(e, { at, actor: 'a', outcome: 'DECISION_UPHELD', outstandingIssues: 'o', rationale: 'r' }),
  redirect: (e) => redirect(e, { at, actor: 'a', route: 'WHISTLEBLOWING', rationale: 'r' }),
  'record a meeting': (e) =>
    recordMeeting(
      e,
      { at, actor: 'a', heldAt: hours(2), participants: people, agreed: 'x' },
      directory,
      policy,
      weekdays,
    ),
  'record learning': (e) => recordLearning(e, { at, actor: 'a', learning: 'l' }),
  'convene a panel': (e) =>
    conveneResolutionPanel(e, { at, actor: 'chair', members: panelMembers }, panelDirectory, policy, null),
  'record a panel decision': (e) =>
    recordPanelDecision(e, e.stage === 4 ? panel : null, {
      at,
      actor: 'chair',
      outcome: 'DECISION_CHANGED',
      outstandingIssues: 'o',
      rationale: 'r',
    }),
};
const STATES: Record<string, () => EscalationState> = {
  'awaiting acknowledgement at stage 1': awaiting,
  'in discussion at stage 1': inDiscussion,
  'awaiting at the last stage': atLastStage,
  resolved,
  redirected,
};
const ok = 'allowed';
const no = 'INVALID_TRANSITION';
/** Rows: move; columns: the states above, in order. */
const MATRIX: Record<string, [string, string, string, string, string]> = {
  acknowledge: [ok, no, ok, no, no],
  advance: [ok, ok, no, no, no],
  resolve: [ok, ok, ok, no, no],
  redirect: [ok, ok, ok, no, no],
  'record a meeting': [ok, ok, ok, no, no],
  'record learning': [no, no, no, ok, ok],
  'convene a panel': [no, no, ok, no, no],
  'record a panel decision': [no, no, ok, no, no],
};

describe('which moves each state allows', () => {
  const cases = Object.entries(MATRIX).flatMap(([move, row]) =>
    Object.keys(STATES).map((state, i): [string, string, string] => [move, state, row[i]!]),
  );
  it.each(cases)('%s, %s: %s', (move, state, expected) => {
    const run = () => MOVES[move]!(STATES[state]!());
    if (expected === ok) expect(run).not.toThrow();
    else expect(run).toThrow(EscalationTransitionError);
  });
});

describe('what each move refuses whatever the state, on which field', () => {
  const e = inDiscussion();
  const meeting = (changes: object) => () =>
    recordMeeting(
      e,
      { at, actor: 'a', heldAt: hours(2), participants: people, agreed: 'x', ...changes },
      directory,
      policy,
      weekdays,
    );
  const convene =
    (members: Participant[], dir: PanelDirectory = panelDirectory) =>
    () =>
      conveneResolutionPanel(atLastStage(), { at, actor: 'chair', members }, dir, policy, null);
  it.each<[string, () => unknown, string, RegExp]>([
    [
      'a blank acknowledgement',
      () => acknowledge(awaiting(), { at, actor: 'a', rationale: ' ' }),
      'rationale',
      /blank/,
    ],
    [
      'an advance without rationale',
      () => advance(e, { at, actor: 'a', rationale: '' }, policy, weekdays),
      'rationale',
      /blank/,
    ],
    [
      'a resolution without rationale',
      () => resolve(e, { at, actor: 'a', outcome: 'WITHDRAWN', outstandingIssues: 'o', rationale: '\n' }),
      'rationale',
      /blank/,
    ],
    [
      'a resolution without how outstanding issues will be pursued',
      () => resolve(e, { at, actor: 'a', outcome: 'WITHDRAWN', outstandingIssues: '', rationale: 'r' }),
      'outstandingIssues',
      /blank/,
    ],
    [
      'a redirection without rationale',
      () => redirect(e, { at, actor: 'a', route: 'LADO', rationale: '' }),
      'rationale',
      /blank/,
    ],
    [
      'a raise without a reason',
      () => raiseByPerson({ ...person, reason: '  ' }, policy, weekdays),
      'reason',
      /blank/,
    ],
    [
      'a raise with one’s own agency',
      () => raiseByPerson({ ...person, receivingAgencyId: 'police' }, policy, weekdays),
      'receivingAgencyId',
      /not be your own/,
    ],
    [
      'a raise above stage 1 without immediate risk',
      () => raiseByPerson({ ...person, startStage: 2 }, policy, weekdays),
      'startStage',
      /Only an escalation at immediate risk/,
    ],
    [
      'a raise at a stage the policy does not have',
      () => raiseByPerson({ ...person, immediateRisk: true, startStage: 5 }, policy, weekdays),
      'startStage',
      /stages 1 to 4/,
    ],
    ['a meeting in the future', meeting({ heldAt: hours(4) }), 'heldAt', /in the future/],
    [
      'a meeting before the escalation was raised',
      meeting({ heldAt: hours(-1) }),
      'heldAt',
      /before the escalation was raised/,
    ],
    [
      'a meeting of one person',
      meeting({ participants: [people[0]] }),
      'participants',
      /at least two people/,
    ],
    [
      'a meeting naming someone twice',
      meeting({ participants: [people[0], people[0]] }),
      'participants',
      /named twice/,
    ],
    [
      'a meeting naming someone not in the directory',
      meeting({ participants: [...people, { contactId: 'stranger', agencyId: 'health' }] }),
      'participants',
      /not in the partnership's directory/,
    ],
    [
      'a meeting naming someone under another agency',
      meeting({ participants: [...people, { contactId: 'nurse', agencyId: 'la' }] }),
      'participants',
      /works for agency health/,
    ],
    ['a meeting without what was agreed', meeting({ agreed: '' }), 'agreed', /blank/],
    [
      'learning left blank',
      () => recordLearning(resolved(), { at, actor: 'a', learning: ' ' }),
      'learning',
      /blank/,
    ],
    [
      'a blank debrief',
      () => recordLearning(resolved(), { at, actor: 'a', learning: 'l', debrief: '' }),
      'debrief',
      /blank/,
    ],
    [
      'a panel of two agencies',
      convene(panelMembers.slice(0, 2)),
      'members',
      /3 agencies; these members come from 2/,
    ],
    [
      'a panel without an agency in dispute that has people in the directory',
      convene([panelMembers[0]!, panelMembers[2]!, { contactId: 'school-dsl', agencyId: 'education' }]),
      'members',
      /Children's Services has people in the directory/,
    ],
    [
      'a panel member from outside the partnership',
      convene([...panelMembers, { contactId: 'school-dsl', agencyId: 'education' }], {
        ...panelDirectory,
        agencies: new Map([...panelDirectory.agencies].filter(([id]) => id !== 'education')),
      }),
      'members',
      /education is not one of them/,
    ],
    [
      'a panel decision without rationale',
      () =>
        recordPanelDecision(atLastStage(), panel, {
          at,
          actor: 'chair',
          outcome: 'DECISION_UPHELD',
          outstandingIssues: 'o',
          rationale: '',
        }),
      'rationale',
      /blank/,
    ],
  ])('refuses %s', (_what, run, field, message) => {
    expect(run).toThrow(EscalationInputError);
    expect(run).toThrow(message);
    try {
      run();
    } catch (err) {
      expect((err as EscalationInputError).field).toBe(field);
    }
  });
});

describe('raising by hand', () => {
  it('starts at stage 1 awaiting acknowledgement, raised by the person, with their reason in the history', () => {
    const { escalation, transition } = raiseByPerson(person, policy, weekdays);
    expect(escalation).toMatchObject({
      stage: 1,
      status: 'AWAITING_ACKNOWLEDGEMENT',
      autoRaised: false,
      raisedBy: 'contact-police-officer',
      immediateRisk: false,
      stageOwnerRoles: ['practitioner'],
      stageDeadline: new Date('2026-06-08T09:00:00.000Z'),
      outcome: null,
      redirectRoute: null,
      evidence: [],
    });
    expect(transition).toEqual({
      at: monday,
      fromStage: null,
      toStage: 1,
      fromStatus: null,
      toStatus: 'AWAITING_ACKNOWLEDGEMENT',
      actor: 'contact-police-officer',
      rationale: 'The school was not told of the strategy discussion.',
    });
  });

  it.each<[number, Date | null, string[]]>([
    [1, hours(4), ['practitioner']],
    [3, hours(24), ['head-of-service']],
    // The last stage has no immediate-risk timescale, so it runs on its own.
    [4, new Date('2026-06-29T09:00:00.000Z'), ['partnership-chair']],
  ])('at immediate risk starts at stage %i with its immediate-risk clock', (startStage, deadline, owners) => {
    const { escalation, transition } = raiseByPerson(
      { ...person, immediateRisk: true, startStage },
      policy,
      weekdays,
    );
    expect(escalation).toMatchObject({ stage: startStage, stageDeadline: deadline, stageOwnerRoles: owners });
    expect(transition.rationale).toMatch(new RegExp(`^Immediate risk: started at stage ${startStage} \\(`));
  });

  it('marks an automatic raise as raised by nobody', () => {
    const { escalation } = raise({ ...person, evidence: ['sc-1'], reason: 'found' }, policy, weekdays);
    expect(escalation).toMatchObject({ autoRaised: true, raisedBy: null });
  });
});

describe('advancing by hand', () => {
  it('moves to the next stage awaiting its owners, with its deadline, recording who and why', () => {
    const { escalation, transition } = advance(
      inDiscussion(),
      { at: hours(5), actor: 'contact-police-officer', rationale: 'No agreement at stage 1.' },
      policy,
      weekdays,
    );
    expect(escalation).toMatchObject({
      stage: 2,
      status: 'AWAITING_ACKNOWLEDGEMENT',
      stageStartedAt: hours(5),
      stageDeadline: new Date('2026-06-08T14:00:00.000Z'),
      stageOwnerRoles: ['line-manager', 'designated-safeguarding-lead'],
    });
    expect(transition).toEqual({
      at: hours(5),
      fromStage: 1,
      toStage: 2,
      fromStatus: 'IN_DISCUSSION',
      toStatus: 'AWAITING_ACKNOWLEDGEMENT',
      actor: 'contact-police-officer',
      rationale: 'No agreement at stage 1.',
    });
  });

  it('anchors stage 3 on the first meeting at stage 1, and says so', () => {
    const atTwo: EscalationState = { ...inDiscussion(), stage: 2, stageStartedAt: hours(48) };
    const history: StageHistory = [
      { stage: 1, startedAt: monday, firstMeetingAt: hours(24) },
      { stage: 2, startedAt: hours(48), firstMeetingAt: null },
    ];
    const { escalation, transition } = advance(
      atTwo,
      { at: hours(72), actor: 'lm', rationale: 'Stuck.' },
      policy,
      weekdays,
      history,
    );
    expect(escalation.stageDeadline).toEqual(new Date('2026-06-12T09:00:00.000Z'));
    expect(transition.rationale).toBe(
      'Stuck. Its deadline is 10 calendar days from the first meeting at stage 1 (2026-06-02T09:00:00.000Z): ' +
        '2026-06-12T09:00:00.000Z.',
    );
  });
});

describe('the last stage lapsing', () => {
  it('moves nothing, records the lapse by the system and flags it to the chair', () => {
    const last = atLastStage();
    const { escalation, transition } = lapseOnDeadline(last, last.stageDeadline!, policy);
    expect(escalation).toEqual(last);
    expect(transition).toEqual({
      at: last.stageDeadline,
      fromStage: 4,
      toStage: 4,
      fromStatus: 'AWAITING_ACKNOWLEDGEMENT',
      toStatus: 'AWAITING_ACKNOWLEDGEMENT',
      actor: 'system',
      rationale:
        'The stage 4 (Partnership chair) deadline of 2026-06-29T09:00:00.000Z passed without resolution. It is the ' +
        'last stage, so nothing moves by itself: flagged to the partnership chair.',
    });
  });

  it.each<[string, () => unknown, RegExp]>([
    ['before its deadline', () => lapseOnDeadline(atLastStage(), hours(1), policy), /cannot move up/],
    [
      'below the last stage',
      () => lapseOnDeadline(awaiting(), hours(24 * 8), policy),
      /not at the last stage/,
    ],
    ['once resolved', () => lapseOnDeadline(resolved(), hours(24 * 30), policy), /already resolved/],
  ])('refuses a lapse %s', (_when, run, message) => {
    expect(run).toThrow(EscalationTransitionError);
    expect(run).toThrow(message);
  });
});

describe('resolving, redirecting and learning', () => {
  it('resolves with a coded outcome and how outstanding issues will be pursued', () => {
    const { escalation, transition } = resolve(inDiscussion(), {
      at: hours(6),
      actor: 'la',
      outcome: 'DECISION_CHANGED',
      outstandingIssues: 'Health visitor to visit weekly; reviewed at the next core group.',
      rationale: 'Threshold reviewed with the head of service.',
    });
    expect(escalation).toMatchObject({
      status: 'RESOLVED',
      outcome: 'DECISION_CHANGED',
      outstandingIssues: 'Health visitor to visit weekly; reviewed at the next core group.',
      resolvedAt: hours(6),
      stageDeadline: null,
    });
    expect(transition).toMatchObject({
      toStatus: 'RESOLVED',
      rationale: 'Threshold reviewed with the head of service.',
    });
  });

  it.each<['WHISTLEBLOWING' | 'LADO' | 'CONFERENCE_CHAIR', string]>([
    ['WHISTLEBLOWING', "Redirected to the agency's whistleblowing policy: r"],
    ['LADO', 'Redirected to the Local Authority Designated Officer (LADO): r'],
    ['CONFERENCE_CHAIR', 'Redirected to the child protection conference chair: r'],
  ])('redirects to %s, closing it, and says where in the history', (route, rationale) => {
    const { escalation, transition } = redirect(awaiting(), {
      at: hours(2),
      actor: 'a',
      route,
      rationale: 'r',
    });
    expect(escalation).toMatchObject({
      status: 'REDIRECTED',
      redirectRoute: route,
      resolvedAt: hours(2),
      stageDeadline: null,
      outcome: null,
    });
    expect(transition).toMatchObject({
      fromStatus: 'AWAITING_ACKNOWLEDGEMENT',
      toStatus: 'REDIRECTED',
      rationale,
    });
  });

  it('captures learning and a debrief after resolution', () => {
    expect(
      recordLearning(resolved(), { at, actor: 'chair', learning: ' Share minutes. ', debrief: 'Held.' }),
    ).toEqual({
      recordedAt: at,
      recordedBy: 'chair',
      learning: 'Share minutes.',
      debrief: 'Held.',
    });
  });
});

describe('meetings and the deadlines anchored on them', () => {
  const atThree: EscalationState = {
    ...inDiscussion(),
    stage: 3,
    stageStartedAt: hours(24 * 9),
    // No meeting was recorded at stage 1, so stage 3 counted 10 days from stage 1's start: Thursday 11 June.
    stageDeadline: new Date('2026-06-11T09:00:00.000Z'),
    stageOwnerRoles: ['head-of-service'],
  };
  const history: StageHistory = [
    { stage: 1, startedAt: monday, firstMeetingAt: null },
    { stage: 2, startedAt: hours(24 * 7), firstMeetingAt: null },
    { stage: 3, startedAt: hours(24 * 9), firstMeetingAt: null },
  ];
  const meet = (e: EscalationState, heldAt: Date, h: StageHistory = history) =>
    recordMeeting(
      e,
      { at: hours(24 * 9.5), actor: 'hos', heldAt, participants: people, agreed: 'Plan.' },
      directory,
      policy,
      weekdays,
      h,
    );

  it('belongs to the stage the escalation was at when it was held', () => {
    expect(meet(atThree, hours(30)).meeting.stage).toBe(1);
    expect(meet(atThree, hours(24 * 8)).meeting.stage).toBe(2);
    expect(meet(atThree, hours(24 * 9 + 1)).meeting.stage).toBe(3);
    expect(stageAt(history, hours(-1), 1)).toBe(1);
  });

  it("moves stage 3's deadline when the first meeting at stage 1 is recorded late", () => {
    const { escalation, deadlineMoved } = meet(atThree, hours(48));
    expect(escalation.stageDeadline).toEqual(new Date('2026-06-13T09:00:00.000Z'));
    expect(deadlineMoved).toEqual({
      from: new Date('2026-06-11T09:00:00.000Z'),
      to: new Date('2026-06-13T09:00:00.000Z'),
      explanation:
        'Its deadline is 10 calendar days from the first meeting at stage 1 (2026-06-03T09:00:00.000Z): ' +
        '2026-06-13T09:00:00.000Z.',
    });
  });

  it('moves nothing for a later meeting at the same stage', () => {
    const met: StageHistory = history.map((r) => (r.stage === 1 ? { ...r, firstMeetingAt: hours(48) } : r));
    const already = { ...atThree, stageDeadline: new Date('2026-06-13T09:00:00.000Z') };
    expect(meet(already, hours(72), met).deadlineMoved).toBeNull();
  });

  it('moves nothing while the escalation is at a stage that is not anchored on it', () => {
    expect(meet(inDiscussion(), hours(2)).deadlineMoved).toBeNull();
  });

  it('records who took part, when and what was agreed', () => {
    expect(meet(atThree, hours(48)).meeting).toEqual({
      stage: 1,
      heldAt: hours(48),
      recordedAt: hours(24 * 9.5),
      recordedBy: 'hos',
      participants: people,
      agreed: 'Plan.',
    });
  });
});

describe('the resolution panel', () => {
  it('is convened by the chair at the last stage with three agencies, those in dispute among them', () => {
    expect(
      conveneResolutionPanel(
        atLastStage(),
        { at, actor: 'chair', members: panelMembers },
        panelDirectory,
        policy,
        null,
      ),
    ).toEqual({ convenedAt: at, convenedBy: 'chair', members: panelMembers, decision: null });
  });

  it('may leave out an agency in dispute that has nobody in the directory', () => {
    const members = [panelMembers[1]!, panelMembers[2]!, { contactId: 'school-dsl', agencyId: 'education' }];
    const dir = { ...panelDirectory, disputingWithContacts: new Set(['la']) };
    expect(
      conveneResolutionPanel(atLastStage(), { at, actor: 'chair', members }, dir, policy, null).members,
    ).toEqual(members);
  });

  it('is convened once', () => {
    expect(() =>
      conveneResolutionPanel(
        atLastStage(),
        { at, actor: 'chair', members: panelMembers },
        panelDirectory,
        policy,
        panel,
      ),
    ).toThrow(/already convened/);
  });

  it('decides, resolving the escalation with the decision as its outcome', () => {
    const { decision, moved } = recordPanelDecision(atLastStage(), panel, {
      at,
      actor: 'chair',
      outcome: 'DECISION_UPHELD',
      outstandingIssues: 'Police to share the MARAC minutes.',
      rationale: 'The threshold decision was reasonable.',
    });
    expect(decision).toEqual({
      decidedAt: at,
      decidedBy: 'chair',
      decision: 'DECISION_UPHELD',
      rationale: 'The threshold decision was reasonable.',
    });
    expect(moved.escalation).toMatchObject({
      status: 'RESOLVED',
      outcome: 'DECISION_UPHELD',
      outstandingIssues: 'Police to share the MARAC minutes.',
    });
    expect(moved.transition.rationale).toBe(
      'Resolution panel decision: The threshold decision was reasonable.',
    );
  });
});
