import {
  assembleLearning,
  bucketAt,
  outcomeBucket,
  RESOLUTION_THRESHOLDS_HOURS,
  resolutionBucket,
  statusBucket,
  type LearningGroups,
} from './learning';

describe('the learning buckets', () => {
  it.each([
    ['AGREED_ACTION_PLAN', 'AGREED_ACTION_PLAN'],
    ['agreed action plan', 'AGREED_ACTION_PLAN'],
    ['Agreed-action-plan.', 'AGREED_ACTION_PLAN'],
    ['agreed-action-plan', 'AGREED_ACTION_PLAN'],
    ['decision upheld', 'DECISION_UPHELD'],
    ['decision__upheld', 'DECISION_UPHELD'],
    ['  DECISION_CHANGED ', 'DECISION_CHANGED'],
    ['withdrawn', 'WITHDRAWN'],
    ['Withdrawn by the raiser', 'OTHER'],
    ['Agreed plan: a strategy meeting on Monday', 'OTHER'],
    ['OTHER', 'OTHER'],
    ['', 'OTHER'],
    [null, 'OTHER'],
  ])('outcome %j counts as %s', (outcome, bucket) => {
    expect(outcomeBucket(outcome)).toBe(bucket);
  });

  it.each([
    ['AWAITING_ACKNOWLEDGEMENT', 'OPEN'],
    ['IN_DISCUSSION', 'OPEN'],
    ['RESOLVED', 'RESOLVED'],
    ['REDIRECTED', 'REDIRECTED'],
    ['AT_RESOLUTION_PANEL', 'OPEN'], // a step this code has not heard of is a step of the open process
  ])('status %s counts as %s', (status, bucket) => {
    expect(statusBucket(status)).toBe(bucket);
  });

  it.each([
    [0, 'UNDER_1_DAY'],
    [-1, 'UNDER_1_DAY'],
    [23.99, 'UNDER_1_DAY'],
    [24, 'DAYS_1_TO_3'],
    [71.99, 'DAYS_1_TO_3'],
    [72, 'DAYS_3_TO_7'],
    [167.99, 'DAYS_3_TO_7'],
    [168, 'DAYS_7_TO_14'],
    [335.99, 'DAYS_7_TO_14'],
    [336, 'DAYS_14_TO_28'],
    [671.99, 'DAYS_14_TO_28'],
    [672, 'OVER_28_DAYS'],
    [10_000, 'OVER_28_DAYS'],
  ])('%d hours to resolution falls in %s', (hours, bucket) => {
    expect(resolutionBucket(hours)).toBe(bucket);
  });

  it('gives Postgres the lower bounds after the first, so width_bucket indexes the buckets', () => {
    expect(RESOLUTION_THRESHOLDS_HOURS).toEqual([24, 72, 168, 336, 672]);
    expect([0, 1, 2, 3, 4, 5].map(bucketAt)).toEqual([
      'UNDER_1_DAY',
      'DAYS_1_TO_3',
      'DAYS_3_TO_7',
      'DAYS_7_TO_14',
      'DAYS_14_TO_28',
      'OVER_28_DAYS',
    ]);
  });
});

describe('the learning answer', () => {
  const none: LearningGroups = {
    total: 0,
    raisingAgency: new Map(),
    receivingAgency: new Map(),
    agencyPair: new Map(),
    ground: new Map(),
    highestStage: new Map(),
    outcome: new Map(),
    status: new Map(),
    resolutionTime: new Map(),
    autoRaised: new Map(),
    immediateRisk: new Map(),
    period: new Map(),
    medianHours: null,
    p90Hours: null,
  };

  it('keeps every fixed bucket at zero when nothing was raised', () => {
    const answer = assembleLearning('p-1', { from: '2026-01-01', to: '2026-01-14' }, 'WEEK', none);
    expect(answer).toEqual({
      partnershipId: 'p-1',
      from: '2026-01-01',
      to: '2026-01-14',
      granularity: 'WEEK',
      total: 0,
      byRaisingAgency: [],
      byReceivingAgency: [],
      byAgencyPair: [],
      byGround: [
        { ground: 'threshold-disagreement', count: 0 },
        { ground: 'stalled-plan', count: 0 },
        { ground: 'disengagement', count: 0 },
        { ground: 'increasing-risk', count: 0 },
        { ground: 'procedures-not-followed', count: 0 },
        { ground: 'referral-not-progressed', count: 0 },
        { ground: 'information-not-shared', count: 0 },
        { ground: 'quality-of-work', count: 0 },
        { ground: 'actions-not-completed', count: 0 },
      ],
      byHighestStage: [],
      byOutcome: [
        { outcome: 'AGREED_ACTION_PLAN', count: 0 },
        { outcome: 'DECISION_UPHELD', count: 0 },
        { outcome: 'DECISION_CHANGED', count: 0 },
        { outcome: 'WITHDRAWN', count: 0 },
        { outcome: 'OTHER', count: 0 },
      ],
      byStatus: [
        { status: 'OPEN', count: 0 },
        { status: 'RESOLVED', count: 0 },
        { status: 'REDIRECTED', count: 0 },
      ],
      byOrigin: [
        { origin: 'AUTO_RAISED', count: 0 },
        { origin: 'MANUAL', count: 0 },
      ],
      byImmediateRisk: [
        { immediateRisk: true, count: 0 },
        { immediateRisk: false, count: 0 },
      ],
      timeToResolution: {
        resolved: 0,
        medianHours: null,
        p90Hours: null,
        histogram: [
          { bucket: 'UNDER_1_DAY', fromHours: 0, toHours: 24, count: 0 },
          { bucket: 'DAYS_1_TO_3', fromHours: 24, toHours: 72, count: 0 },
          { bucket: 'DAYS_3_TO_7', fromHours: 72, toHours: 168, count: 0 },
          { bucket: 'DAYS_7_TO_14', fromHours: 168, toHours: 336, count: 0 },
          { bucket: 'DAYS_14_TO_28', fromHours: 336, toHours: 672, count: 0 },
          { bucket: 'OVER_28_DAYS', fromHours: 672, toHours: null, count: 0 },
        ],
      },
      series: [
        {
          start: '2026-01-01',
          end: '2026-01-04',
          raised: 0,
          open: 0,
          resolved: 0,
          redirected: 0,
          autoRaised: 0,
          immediateRisk: 0,
        },
        {
          start: '2026-01-05',
          end: '2026-01-11',
          raised: 0,
          open: 0,
          resolved: 0,
          redirected: 0,
          autoRaised: 0,
          immediateRisk: 0,
        },
        {
          start: '2026-01-12',
          end: '2026-01-14',
          raised: 0,
          open: 0,
          resolved: 0,
          redirected: 0,
          autoRaised: 0,
          immediateRisk: 0,
        },
      ],
    });
  });

  it('orders agencies most first then by id, fills the stages below the highest, rounds hours', () => {
    const answer = assembleLearning('p-1', { from: '2026-01-01', to: '2026-01-31' }, 'MONTH', {
      ...none,
      total: 5,
      raisingAgency: new Map([
        ['police', 2],
        ['health', 2],
        ['school', 1],
      ]),
      receivingAgency: new Map([['la', 5]]),
      agencyPair: new Map([
        ['school la', { raising: 'school', receiving: 'la', count: 1 }],
        ['police la', { raising: 'police', receiving: 'la', count: 2 }],
        ['health la', { raising: 'health', receiving: 'la', count: 2 }],
      ]),
      highestStage: new Map([
        [1, 3],
        [3, 2],
      ]),
      resolutionTime: new Map([
        ['UNDER_1_DAY', 1],
        ['OVER_28_DAYS', 1],
      ]),
      period: new Map([
        ['2026-01-01', { raised: 5, open: 3, resolved: 2, redirected: 0, autoRaised: 4, immediateRisk: 1 }],
      ]),
      medianHours: 10.123456,
      p90Hours: 700.005,
    });
    expect(answer.byRaisingAgency).toEqual([
      { agencyId: 'health', count: 2 },
      { agencyId: 'police', count: 2 },
      { agencyId: 'school', count: 1 },
    ]);
    expect(answer.byAgencyPair.map((p) => p.raisingAgencyId)).toEqual(['health', 'police', 'school']);
    expect(answer.byHighestStage).toEqual([
      { stage: 1, count: 3 },
      { stage: 2, count: 0 },
      { stage: 3, count: 2 },
    ]);
    expect(answer.timeToResolution).toMatchObject({ resolved: 2, medianHours: 10.12, p90Hours: 700.01 });
    expect(answer.series).toEqual([
      {
        start: '2026-01-01',
        end: '2026-01-31',
        raised: 5,
        open: 3,
        resolved: 2,
        redirected: 0,
        autoRaised: 4,
        immediateRisk: 1,
      },
    ]);
  });
});
