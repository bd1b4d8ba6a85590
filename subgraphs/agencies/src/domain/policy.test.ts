import { triggerFor, type EscalationPolicy } from '@mash/schema';
import { demoPolicy } from '../demo/policy';
import { PolicyValidationError, validatePolicy } from './policy';

/** A mutable deep copy of the demo policy, to break in one place per test. */
function policyDocument(): Record<string, unknown> & {
  stages: Record<string, unknown>[];
  triggers: { thresholdDisagreement: Record<string, unknown> };
} {
  return JSON.parse(JSON.stringify(demoPolicy())) as ReturnType<typeof policyDocument>;
}

function problemsOf(policy: unknown): readonly string[] {
  try {
    validatePolicy(policy);
  } catch (err) {
    if (err instanceof PolicyValidationError) return err.problems;
    throw err;
  }
  throw new Error('expected the policy to be rejected');
}

describe('validatePolicy', () => {
  it('accepts the Milton Keynes demo policy unchanged', () => {
    const doc = policyDocument();
    expect(validatePolicy(doc)).toEqual(doc);
  });

  it('keeps only the known fields of a policy document', () => {
    const doc = { ...policyDocument(), extra: 'dropped' };
    doc.stages[0] = { ...doc.stages[0], colour: 'red' };
    const clean = validatePolicy(doc) as EscalationPolicy & Record<string, unknown>;
    expect(clean['extra']).toBeUndefined();
    expect(Object.keys(clean.stages[0] ?? {}).sort()).toEqual([
      'immediateRiskTimescale',
      'name',
      'ownerRoles',
      'stage',
      'timescale',
    ]);
  });

  it('rejects something that is not an object', () => {
    expect(problemsOf('policy')).toEqual(['the policy must be an object']);
    expect(problemsOf(null)).toEqual(['the policy must be an object']);
  });

  it('rejects a policy without stages', () => {
    const doc = policyDocument();
    doc.stages = [];
    expect(problemsOf(doc)).toEqual(['stages must be a non-empty list']);
  });

  it('rejects stages that are not numbered 1..n in order', () => {
    const doc = policyDocument();
    const [first, second] = doc.stages;
    doc.stages[0] = { ...second };
    doc.stages[1] = { ...first };
    expect(problemsOf(doc)).toEqual(
      expect.arrayContaining([
        'stages[0].stage must be 1 (stages are numbered 1..n in order)',
        'stages[1].stage must be 2 (stages are numbered 1..n in order)',
      ]),
    );
  });

  it('rejects a stage that skips a number', () => {
    const doc = policyDocument();
    doc.stages[2] = { ...doc.stages[2], stage: 4 };
    expect(problemsOf(doc)).toContain('stages[2].stage must be 3 (stages are numbered 1..n in order)');
  });

  it('rejects zero, negative and fractional-day timescales', () => {
    const doc = policyDocument();
    doc.stages[0] = { ...doc.stages[0], timescale: { amount: 0, unit: 'calendar-days' } };
    doc.stages[1] = { ...doc.stages[1], timescale: { amount: -5, unit: 'working-days' } };
    doc.stages[2] = { ...doc.stages[2], timescale: { amount: 1.5, unit: 'calendar-days' } };
    expect(problemsOf(doc)).toEqual([
      'stages[0].timescale.amount must be a positive number',
      'stages[1].timescale.amount must be a positive number',
      'stages[2].timescale.amount must be a whole number of days',
    ]);
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

  it('rejects an unknown timescale unit', () => {
    const doc = policyDocument();
    doc.stages[0] = { ...doc.stages[0], timescale: { amount: 7, unit: 'fortnights' } };
    expect(problemsOf(doc)).toEqual([
      'stages[0].timescale.unit must be one of hours, calendar-days, working-days',
    ]);
  });

  it('allows a null timescale only on the last stage', () => {
    const doc = policyDocument();
    doc.stages[1] = { ...doc.stages[1], timescale: null, immediateRiskTimescale: null };
    expect(problemsOf(doc)).toEqual([
      'stages[1].timescale may be null only on the last stage',
      'stages[1].immediateRiskTimescale may be null only on the last stage',
    ]);
  });

  it('accepts a timed last stage', () => {
    const doc = policyDocument();
    doc.stages[3] = { ...doc.stages[3], timescale: { amount: 20, unit: 'working-days' } };
    expect(validatePolicy(doc).stages[3]?.timescale).toEqual({ amount: 20, unit: 'working-days' });
  });

  it('rejects a stage nobody owns, or owned by a role that cannot decide', () => {
    const doc = policyDocument();
    doc.stages[0] = { ...doc.stages[0], ownerRoles: [] };
    doc.stages[1] = { ...doc.stages[1], ownerRoles: ['agency-integrator', 'line-manager', 'line-manager'] };
    doc.stages[2] = { ...doc.stages[2], name: ' ' };
    const problems = problemsOf(doc);
    expect(problems).toContain('stages[0].ownerRoles must name at least one role');
    expect(problems).toContainEqual(
      expect.stringMatching(/^stages\[1\]\.ownerRoles\[0\] must be one of practitioner/),
    );
    expect(problems).toContain('stages[1].ownerRoles[2] repeats line-manager');
    expect(problems).toContain('stages[2].name must be a non-empty string');
  });

  it('rejects minimumSteps outside 1 to 4', () => {
    for (const minimumSteps of [0, 5, 2.5, '2']) {
      const doc = policyDocument();
      doc.triggers.thresholdDisagreement['minimumSteps'] = minimumSteps;
      expect(problemsOf(doc)).toEqual([
        'triggers.thresholdDisagreement.minimumSteps must be a whole number from 1 to 4',
      ]);
    }
  });

  it('rejects a threshold trigger without a grace period or flags', () => {
    const doc = policyDocument();
    doc.triggers.thresholdDisagreement = { minimumSteps: 2 };
    expect(problemsOf(doc)).toEqual([
      'triggers.thresholdDisagreement.enabled must be true or false',
      'triggers.thresholdDisagreement.highRiskNoFurtherAction must be true or false',
      'triggers.thresholdDisagreement.gracePeriod must be an object { amount, unit }',
    ]);
  });

  it('rejects an unknown calendar and missing triggers, listing every problem at once', () => {
    const doc: Record<string, unknown> = { ...policyDocument(), calendar: 'scotland', triggers: undefined };
    expect(problemsOf(doc)).toEqual(["calendar must be 'england-and-wales'", 'triggers must be an object']);
  });
});

describe('demoPolicy', () => {
  it('follows Milton Keynes: practitioners within 7 days, heads of service within 10, the chair last', () => {
    const policy = demoPolicy();
    expect(policy.stages.map((s) => [s.stage, s.ownerRoles, s.timescale])).toEqual([
      [1, ['practitioner'], { amount: 7, unit: 'calendar-days' }],
      [2, ['line-manager', 'designated-safeguarding-lead'], { amount: 5, unit: 'working-days' }],
      [3, ['head-of-service'], { amount: 10, unit: 'calendar-days' }],
      [4, ['partnership-chair'], null],
    ]);
    expect(policy.stages.map((s) => s.immediateRiskTimescale?.amount ?? null)).toEqual([4, 8, 24, null]);
  });

  it('raises threshold disagreements two steps apart after one working day', () => {
    expect(triggerFor(demoPolicy(), 'threshold-disagreement')).toEqual({
      ground: 'threshold-disagreement',
      enabled: true,
      minimumSteps: 2,
      highRiskNoFurtherAction: true,
      gracePeriod: { amount: 1, unit: 'working-days' },
    });
  });

  it('rejects overrides that break the rules', () => {
    expect(() => demoPolicy({ thresholdDisagreement: { minimumSteps: 9 } })).toThrow(PolicyValidationError);
  });
});
