import {
  bucketStartOf,
  granularityFor,
  learningPeriod,
  LearningPeriodError,
  MAX_LEARNING_PERIOD_DAYS,
  parseCivilDate,
  periodBuckets,
} from './learning-period';

describe('a learning period of London dates', () => {
  it.each([
    [
      'a winter month (GMT)',
      '2026-01-01',
      '2026-01-31',
      '2026-01-01T00:00:00.000Z',
      '2026-02-01T00:00:00.000Z',
      31,
    ],
    [
      'a summer month (BST)',
      '2026-06-01',
      '2026-06-30',
      '2026-05-31T23:00:00.000Z',
      '2026-06-30T23:00:00.000Z',
      30,
    ],
    [
      'the spring change, a 23-hour day',
      '2026-03-29',
      '2026-03-29',
      '2026-03-29T00:00:00.000Z',
      '2026-03-29T23:00:00.000Z',
      1,
    ],
    [
      'the autumn change, a 25-hour day',
      '2026-10-25',
      '2026-10-25',
      '2026-10-24T23:00:00.000Z',
      '2026-10-26T00:00:00.000Z',
      1,
    ],
    [
      'across the year end',
      '2025-12-01',
      '2026-02-28',
      '2025-12-01T00:00:00.000Z',
      '2026-03-01T00:00:00.000Z',
      90,
    ],
  ])(
    '%s: from 00:00 London on `from` to 00:00 London after `to`',
    (_what, from, to, startsAt, endsBefore, days) => {
      const period = learningPeriod(from, to);
      expect(period).toEqual({
        from,
        to,
        startsAt: new Date(startsAt),
        endsBefore: new Date(endsBefore),
        days,
      });
    },
  );

  it.each([
    ['2026-02-30', '2026-03-01', 'from', 'from is not a calendar date (YYYY-MM-DD): 2026-02-30'],
    ['2026-1-1', '2026-03-01', 'from', 'from is not a calendar date (YYYY-MM-DD): 2026-1-1'],
    ['2026-01-01', '2026-13-01', 'to', 'to is not a calendar date (YYYY-MM-DD): 2026-13-01'],
    ['2026-03-02', '2026-03-01', 'to', 'to is before from.'],
    ['2021-01-01', '2026-01-02', 'to', `A period covers at most ${MAX_LEARNING_PERIOD_DAYS} days.`],
  ])('refuses %s to %s on %s', (from, to, field, message) => {
    let error: unknown;
    try {
      learningPeriod(from, to);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(LearningPeriodError);
    expect(error).toMatchObject({ field, message });
  });

  it('takes five years and two days at most', () => {
    expect(learningPeriod('2021-01-01', '2026-01-01').days).toBe(MAX_LEARNING_PERIOD_DAYS);
  });

  it.each([
    ['2024-02-29', { year: 2024, month: 2, day: 29 }],
    ['2025-02-29', null],
    ['2026-00-10', null],
    ['20260110', null],
  ])('reads %s as a calendar date or not', (value, expected) => {
    expect(parseCivilDate(value)).toEqual(expected);
  });
});

describe('the step of the time series', () => {
  it.each([
    [1, undefined, 'WEEK'],
    [92, undefined, 'WEEK'],
    [93, undefined, 'MONTH'],
    [365, null, 'MONTH'],
    [365, 'WEEK', 'WEEK'],
    [7, 'MONTH', 'MONTH'],
  ] as const)('a period of %i days, asked %s, is charted by %s', (days, chosen, expected) => {
    expect(granularityFor({ days }, chosen)).toBe(expected);
  });

  it.each([
    ['2026-01-05', 'WEEK', '2026-01-05'], // a Monday
    ['2026-01-04', 'WEEK', '2025-12-29'], // a Sunday: the week began the Monday before, in the old year
    ['2026-01-01', 'WEEK', '2025-12-29'],
    ['2026-01-31', 'MONTH', '2026-01-01'],
  ] as const)('%s falls in the %s starting %s', (date, granularity, start) => {
    const d = parseCivilDate(date);
    const s = parseCivilDate(start);
    expect(d && bucketStartOf(d, granularity)).toEqual(s);
  });
});

describe('the buckets of the time series', () => {
  it.each([
    [
      'weeks from a Thursday to a Tuesday',
      '2026-01-01',
      '2026-01-20',
      'WEEK',
      [
        ['2026-01-01', '2026-01-04'],
        ['2026-01-05', '2026-01-11'],
        ['2026-01-12', '2026-01-18'],
        ['2026-01-19', '2026-01-20'],
      ],
    ],
    ['one whole week', '2026-01-05', '2026-01-11', 'WEEK', [['2026-01-05', '2026-01-11']]],
    ['one day', '2026-03-04', '2026-03-04', 'WEEK', [['2026-03-04', '2026-03-04']]],
    [
      'months from mid-November to mid-February',
      '2025-11-15',
      '2026-02-10',
      'MONTH',
      [
        ['2025-11-15', '2025-11-30'],
        ['2025-12-01', '2025-12-31'],
        ['2026-01-01', '2026-01-31'],
        ['2026-02-01', '2026-02-10'],
      ],
    ],
    [
      'a leap February',
      '2028-02-01',
      '2028-03-01',
      'MONTH',
      [
        ['2028-02-01', '2028-02-29'],
        ['2028-03-01', '2028-03-01'],
      ],
    ],
  ] as const)('%s', (_what, from, to, granularity, expected) => {
    expect(periodBuckets({ from, to }, granularity)).toEqual(
      expected.map(([start, end]) => ({ start, end })),
    );
  });

  it('has 262 weekly or 61 monthly points over the longest period', () => {
    expect(periodBuckets({ from: '2021-01-01', to: '2026-01-01' }, 'WEEK')).toHaveLength(262);
    expect(periodBuckets({ from: '2021-01-01', to: '2026-01-01' }, 'MONTH')).toHaveLength(61);
  });
});
