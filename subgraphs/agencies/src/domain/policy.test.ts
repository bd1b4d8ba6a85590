import { mkTogetherPolicy, triggerFor } from '@mash/schema';
import { demoLincolnshirePolicy, demoPolicy } from '../demo/policy';
import { PolicyValidationError, validatePolicy } from './policy';

/** A loosely typed, deep copy of the demo policy document, to break in one place per case. */
type Doc = Record<string, unknown> & {
  stages: Record<string, unknown>[];
  triggers: Record<string, unknown>[];
};
const policyDocument = (): Doc => JSON.parse(JSON.stringify(demoPolicy())) as Doc;

function problemsOf(policy: unknown): readonly string[] {
  let caught: unknown;
  try {
    validatePolicy(policy);
  } catch (err) {
    caught = err;
  }
  if (!(caught instanceof PolicyValidationError)) throw new Error('expected a PolicyValidationError');
  return caught.problems;
}

const timescaleOf = (doc: Doc, stage: number) => doc.stages[stage] as { timescale: Record<string, unknown> };

describe('validatePolicy, through the shared policy schema', () => {
  it('accepts the Milton Keynes demo policy unchanged', () => {
    const doc = policyDocument();
    expect(validatePolicy(doc)).toEqual(doc);
  });

  it('reads a legacy document whose triggers held thresholdDisagreement as a one-item list', () => {
    const doc = policyDocument();
    const legacy = {
      ...doc,
      triggers: {
        thresholdDisagreement: {
          enabled: true,
          minimumSteps: 3,
          highRiskNoFurtherAction: false,
          gracePeriod: { amount: 2, unit: 'working-days' },
        },
      },
    };
    expect(validatePolicy(legacy).triggers).toEqual([
      {
        ground: 'threshold-disagreement',
        enabled: true,
        minimumSteps: 3,
        highRiskNoFurtherAction: false,
        gracePeriod: { amount: 2, unit: 'working-days' },
      },
    ]);
  });

  it('refuses a typo in a legacy document rather than reading it silently', () => {
    const legacy = {
      ...policyDocument(),
      triggers: {
        thresholdDisagreement: {
          enabled: true,
          minimumStep: 2,
          highRiskNoFurtherAction: true,
          gracePeriod: { amount: 1, unit: 'working-days' },
        },
      },
    };
    expect(problemsOf(legacy)).toEqual([
      'triggers[0].minimumSteps Invalid input: expected number, received undefined',
      'triggers[0] Unrecognized key: "minimumStep"',
    ]);
  });

  it.each<[string, (doc: Doc) => void, string[]]>([
    [
      'a field the policy does not have',
      (doc) => (doc['escalateOnFullMoon'] = true),
      ['Unrecognized key: "escalateOnFullMoon"'],
    ],
    [
      'a misspelt stage field',
      (doc) => (doc.stages[2] = { ...doc.stages[2], anchour: { stage: 1, event: 'first-meeting' } }),
      ['stages[2] Unrecognized key: "anchour"'],
    ],
    [
      'a misspelt timescale field',
      (doc) => (timescaleOf(doc, 0).timescale['units'] = 'weeks'),
      ['stages[0].timescale Unrecognized key: "units"'],
    ],
    [
      'a field of another ground on a trigger',
      (doc) => (doc.triggers[0] = { ...doc.triggers[0], window: { amount: 28, unit: 'calendar-days' } }),
      ['triggers[0] Unrecognized key: "window"'],
    ],
    [
      'a misspelt anchor field',
      (doc) => (doc.stages[2] = { ...doc.stages[2], anchor: { stage: 1, event: 'first-meeting', days: 10 } }),
      ['stages[2].anchor Unrecognized key: "days"'],
    ],
  ])('refuses %s (a typo must not pass silently)', (_what, breakIt, problems) => {
    const doc = policyDocument();
    breakIt(doc);
    expect(problemsOf(doc)).toEqual(problems);
  });

  it.each<[string, (doc: Doc) => void, string[]]>([
    ['no stages', (doc) => (doc.stages = []), ['stages Too small: expected array to have >=1 items']],
    [
      'zero, negative and fractional-day timescales',
      (doc) => {
        timescaleOf(doc, 0).timescale = { amount: 0, unit: 'calendar-days' };
        timescaleOf(doc, 1).timescale = { amount: -5, unit: 'working-days' };
        timescaleOf(doc, 2).timescale = { amount: 1.5, unit: 'calendar-days' };
      },
      [
        'stages[0].timescale.amount Too small: expected number to be >0',
        'stages[1].timescale.amount Too small: expected number to be >0',
        'stages[2].timescale.amount days and months must be whole numbers',
      ],
    ],
    [
      'an unknown unit and basis',
      (doc) => (timescaleOf(doc, 0).timescale = { amount: 7, unit: 'fortnights', basis: 'hunch' }),
      [
        'stages[0].timescale.unit Invalid option: expected one of "hours"|"calendar-days"|"working-days"|"calendar-months"',
        'stages[0].timescale.basis Invalid option: expected one of "policy-text"|"statutory"|"local-default"',
      ],
    ],
    [
      'an anchor on the same or a later stage',
      (doc) => (doc.stages[1] = { ...doc.stages[1], anchor: { stage: 3, event: 'stage-start' } }),
      ['stages[1].anchor.stage must name an earlier stage'],
    ],
    [
      'an anchor on an unknown event',
      (doc) => (doc.stages[2] = { ...doc.stages[2], anchor: { stage: 1, event: 'last-meeting' } }),
      ['stages[2].anchor.event Invalid option: expected one of "stage-start"|"first-meeting"'],
    ],
    [
      'stages out of order, or skipping a number',
      (doc) => {
        const [first, second] = doc.stages;
        doc.stages[0] = { ...second };
        doc.stages[1] = { ...first };
        doc.stages[3] = { ...doc.stages[3], stage: 5 };
      },
      [
        'stages[0].stage must be 1 (stages are numbered 1..n in order)',
        'stages[1].stage must be 2 (stages are numbered 1..n in order)',
        'stages[3].stage must be 4 (stages are numbered 1..n in order)',
      ],
    ],
    [
      'a null timescale before the last stage',
      (doc) => (doc.stages[1] = { ...doc.stages[1], timescale: null, immediateRiskTimescale: null }),
      [
        'stages[1].timescale may be null only on the last stage',
        'stages[1].immediateRiskTimescale may be null only on the last stage',
      ],
    ],
    [
      'a ground given twice',
      (doc) => doc.triggers.push({ ...doc.triggers[0] }),
      ['triggers[4].ground repeats threshold-disagreement'],
    ],
    [
      'a ground that is not automatic',
      (doc) => doc.triggers.push({ ground: 'sunspots', enabled: true }),
      [
        "triggers[4].ground Invalid discriminator value. Expected 'threshold-disagreement' | 'stalled-plan' | " +
          "'disengagement' | 'increasing-risk'",
      ],
    ],
    [
      'minimumSteps beyond the ladder',
      (doc) => (doc.triggers[0] = { ...doc.triggers[0], minimumSteps: 5 }),
      ['triggers[0].minimumSteps Too big: expected number to be <=4'],
    ],
    [
      'parties without a raising agency or with an unknown receiving type',
      (doc) => (doc.triggers[1] = { ...doc.triggers[1], parties: { raising: [], receiving: 'army' } }),
      [
        'triggers[1].parties.raising Too small: expected array to have >=1 items',
        'triggers[1].parties.receiving Invalid option: expected one of "police"|"health"|"la-children"|' +
          '"la-adults"|"education"|"probation"|"housing"|"voluntary"|"partnership-business-unit"',
      ],
    ],
    [
      'a disengagement trigger without its fields',
      (doc) => (doc.triggers[2] = { ground: 'disengagement', enabled: true }),
      [
        'triggers[2].window Invalid input: expected object, received undefined',
        'triggers[2].minimumSignals Invalid input: expected number, received undefined',
        'triggers[2].minimumAgencies Invalid input: expected number, received undefined',
        'triggers[2].attendanceBelowPercent Invalid input: expected number, received undefined',
        'triggers[2].signals Invalid input: expected array, received undefined',
        'triggers[2].parties Invalid input: expected object, received undefined',
      ],
    ],
    [
      'a stage nobody owns, one owned by a role that cannot decide, and a blank name, all at once',
      (doc) => {
        doc.stages[0] = { ...doc.stages[0], ownerRoles: [] };
        doc.stages[1] = { ...doc.stages[1], ownerRoles: ['agency-integrator'] };
        doc.stages[2] = { ...doc.stages[2], name: ' ' };
        doc['calendar'] = 'scotland';
      },
      [
        'calendar Invalid input: expected "england-and-wales"',
        'stages[0].ownerRoles Too small: expected array to have >=1 items',
        'stages[1].ownerRoles[0] Invalid option: expected one of "practitioner"|"line-manager"|' +
          '"designated-safeguarding-lead"|"head-of-service"|"lado"|"independent-reviewing-officer"|' +
          '"mash-officer"|"partnership-chair"',
        'stages[2].name Too small: expected string to have >=1 characters',
      ],
    ],
    [
      'a role given twice',
      (doc) => (doc.stages[1] = { ...doc.stages[1], ownerRoles: ['line-manager', 'line-manager'] }),
      ['stages[1].ownerRoles roles must not repeat'],
    ],
  ])('reports %s with its path', (_what, breakIt, problems) => {
    const doc = policyDocument();
    breakIt(doc);
    expect(problemsOf(doc)).toEqual(problems);
  });

  it('refuses something that is not an object', () => {
    expect(problemsOf('policy')).toEqual(['Invalid input: expected object, received string']);
    expect(problemsOf(null)).toEqual(['Invalid input: expected object, received null']);
  });

  it('names every problem in its message, one per line', () => {
    const doc = policyDocument();
    timescaleOf(doc, 0).timescale = { amount: 0, unit: 'calendar-days' };
    doc.triggers[0] = { ...doc.triggers[0], minimumSteps: 5 };
    expect(() => validatePolicy(doc)).toThrow(
      'Invalid escalation policy:\n' +
        '  - stages[0].timescale.amount Too small: expected number to be >0\n' +
        '  - triggers[0].minimumSteps Too big: expected number to be <=4',
    );
  });

  it('accepts a fraction of an hour, so tests can run a one-second clock', () => {
    const policy = demoPolicy({
      thresholdDisagreement: { gracePeriod: { amount: 1 / 3600, unit: 'hours' } },
    });
    expect(triggerFor(policy, 'threshold-disagreement')?.gracePeriod).toEqual({
      amount: 1 / 3600,
      unit: 'hours',
    });
  });

  it('accepts a timed last stage', () => {
    const doc = policyDocument();
    timescaleOf(doc, 3).timescale = { amount: 20, unit: 'working-days' };
    expect(validatePolicy(doc).stages[3]?.timescale).toEqual({ amount: 20, unit: 'working-days' });
  });
});

describe('the MK Together demo policy follows seed 004', () => {
  const policy = demoPolicy();

  it('gives each stage its owners and timescale, saying where each figure comes from', () => {
    expect(
      policy.stages.map((s) => [
        s.stage,
        s.ownerRoles,
        s.timescale && [s.timescale.amount, s.timescale.unit],
      ]),
    ).toEqual([
      [1, ['practitioner'], [7, 'calendar-days']],
      [2, ['line-manager', 'designated-safeguarding-lead'], [5, 'working-days']],
      [3, ['head-of-service'], [10, 'calendar-days']],
      [4, ['partnership-chair'], null],
    ]);
    expect(policy.stages.map((s) => s.timescale?.basis ?? null)).toEqual([
      'policy-text',
      'local-default',
      'policy-text',
      null,
    ]);
    expect(policy.stages[0]?.timescale?.source).toContain('within 7 days of the challenge being raised');
    expect(policy.stages[2]?.timescale?.source).toContain(
      'no later than 10 days after the intial professionals',
    );
  });

  it('counts the heads of service meeting from the first professionals meeting, with feedback 48 hours after', () => {
    const stage3 = policy.stages[2];
    expect(stage3?.anchor).toEqual({ stage: 1, event: 'first-meeting' });
    expect(stage3?.feedbackAfterMeeting).toMatchObject({ amount: 48, unit: 'hours', basis: 'policy-text' });
    expect(policy.stages.filter((s) => s.anchor || s.feedbackAfterMeeting).map((s) => s.stage)).toEqual([3]);
  });

  it('runs immediate risk on local-default hours', () => {
    expect(
      policy.stages.map(
        (s) => s.immediateRiskTimescale && [s.immediateRiskTimescale.amount, s.immediateRiskTimescale.basis],
      ),
    ).toEqual([[4, 'local-default'], [8, 'local-default'], [24, 'local-default'], null]);
  });

  it('has a trigger for every automatic ground', () => {
    expect(policy.triggers.map((t) => [t.ground, t.enabled])).toEqual([
      ['threshold-disagreement', true],
      ['stalled-plan', true],
      ['disengagement', true],
      ['increasing-risk', true],
    ]);
  });

  it('raises threshold disagreements two steps apart after a local-default working day', () => {
    expect(triggerFor(policy, 'threshold-disagreement')).toMatchObject({
      minimumSteps: 2,
      highRiskNoFurtherAction: true,
      gracePeriod: { amount: 1, unit: 'working-days', basis: 'local-default' },
    });
  });

  it("takes stalled plans' timescales from Working Together 2023", () => {
    const stalled = triggerFor(policy, 'stalled-plan');
    expect(
      [
        stalled?.initialConferenceWithin,
        stalled?.firstCoreGroupWithin,
        stalled?.firstReviewWithin,
        stalled?.reviewEvery,
      ].map((t) => [t?.amount, t?.unit, t?.basis]),
    ).toEqual([
      [15, 'working-days', 'statutory'],
      [10, 'working-days', 'statutory'],
      [3, 'calendar-months', 'statutory'],
      [6, 'calendar-months', 'statutory'],
    ]);
    expect(stalled?.parties).toEqual({
      raising: ['police', 'health', 'education'],
      receiving: 'la-children',
    });
  });

  it('counts two disengagement signals from two agencies within 28 days, attendance under 90%', () => {
    expect(triggerFor(policy, 'disengagement')).toMatchObject({
      window: { amount: 28, unit: 'calendar-days', basis: 'local-default' },
      minimumSignals: 2,
      minimumAgencies: 2,
      attendanceBelowPercent: 90,
      parties: { raising: ['police', 'health', 'education'], receiving: 'la-children' },
    });
  });

  it('raises increasing risk from DASH 14+, MARAC, a red notice or a missing episode below child protection', () => {
    expect(triggerFor(policy, 'increasing-risk')).toMatchObject({
      dashHighScore: 14,
      maracReferral: true,
      protectionNoticeRatings: ['red'],
      missingEpisode: true,
      localAuthorityBelow: 'child-protection',
      whenCaseClosed: true,
      parties: { raising: ['police'], receiving: 'la-children' },
    });
  });

  it('is the shared document of @mash/schema, which the escalation engine tests run', () => {
    expect(policy).toEqual(mkTogetherPolicy());
  });
});

describe('demo policy overrides', () => {
  it('changes some fields of a trigger and keeps the rest', () => {
    const policy = demoPolicy({
      disengagement: { minimumSignals: 3 },
      stalledPlan: { enabled: false },
      increasingRisk: { dashHighScore: 20 },
    });
    expect(triggerFor(policy, 'disengagement')).toMatchObject({ minimumSignals: 3, minimumAgencies: 2 });
    expect(triggerFor(policy, 'stalled-plan')?.enabled).toBe(false);
    expect(triggerFor(policy, 'increasing-risk')?.dashHighScore).toBe(20);
  });

  it('leaves a ground out with null', () => {
    const policy = demoPolicy({ stalledPlan: null, disengagement: null, increasingRisk: null });
    expect(policy.triggers.map((t) => t.ground)).toEqual(['threshold-disagreement']);
  });

  it('replaces the stages', () => {
    const [first, , , last] = demoPolicy().stages;
    const policy = demoPolicy({ stages: [first!, { ...last!, stage: 2 }] });
    expect(policy.stages.map((s) => s.name)).toEqual([
      'Professionals meet to reach a shared understanding',
      'MK Together Assurance Board chair',
    ]);
  });

  it('rejects overrides that break the rules', () => {
    expect(() => demoPolicy({ thresholdDisagreement: { minimumSteps: 9 } })).toThrow(PolicyValidationError);
    expect(() => demoPolicy({ disengagement: { minimumSignals: 1 } })).toThrow(
      'triggers[2].minimumSignals Too small: expected number to be >=2',
    );
  });
});

describe('the Lincolnshire demo policy', () => {
  const policy = demoLincolnshirePolicy();

  it('runs on its own timescales: 2 working days, 5 working days, 48 hours, then the partnership', () => {
    expect(
      policy.stages.map((s) => s.timescale && [s.timescale.amount, s.timescale.unit, s.timescale.basis]),
    ).toEqual([
      [2, 'working-days', 'policy-text'],
      [5, 'working-days', 'policy-text'],
      [48, 'hours', 'policy-text'],
      null,
    ]);
    expect(policy.stages.some((s) => s.anchor)).toBe(false);
  });

  it('has the same grounds and trigger figures as MK Together', () => {
    expect(policy.triggers).toEqual(demoPolicy().triggers);
  });
});
