import { openDatabase, type DataSource } from '@mash/service-kit';
import { createTestDatabase, type TestDatabase } from '@test/support/database';
import { EDUCATION, HEALTH, LA, PARTNERSHIP, POLICE } from '@test/support/fixtures/escalations';
import { insertLearningSeed, LEARNING_SEED, PRIVATE_MARKER } from '@test/support/fixtures/learning';
import {
  assembleLearning,
  LEARNING_OUTCOMES,
  outcomeBucket,
  type LearningFilters,
} from '../src/domain/learning';
import { granularityFor, learningPeriod, type LearningGranularity } from '../src/domain/learning-period';
import { entities } from '../src/entities';
import { migrations } from '../src/migrations';
import { LearningRepository } from '../src/repositories/learning.repository';

// Integration: the learning figures of a seeded set whose answers are known, counted by the repository's one
// statement on the real Postgres with the real migrations. Another partnership's escalations and those raised
// a second outside the period (London time) are not counted.

const OTHER = '7d1f0c4e-0000-4000-8000-000000000002';
const OTHER_POLICE = '7d1f0c4e-0000-4000-8000-0000000000b1';
const OTHER_LA = '7d1f0c4e-0000-4000-8000-0000000000b2';

describe('the learning figures of a partnership', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let repo: LearningRepository;

  beforeAll(async () => {
    db = await createTestDatabase();
    ds = await openDatabase({
      url: db.url,
      schema: 'escalations',
      entities,
      migrations,
      applicationName: 'learning-figures-test',
    });
    await insertLearningSeed(ds, {
      partnershipId: PARTNERSHIP,
      agencies: { police: POLICE, la: LA, health: HEALTH, education: EDUCATION },
      otherPartnershipId: OTHER,
      otherAgencies: { police: OTHER_POLICE, la: OTHER_LA },
    });
    repo = new LearningRepository(ds);
  });

  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  async function learning(
    from: string,
    to: string,
    options: { granularity?: LearningGranularity; filters?: LearningFilters; partnershipId?: string } = {},
  ) {
    const period = learningPeriod(from, to);
    const granularity = granularityFor(period, options.granularity);
    const partnershipId = options.partnershipId ?? PARTNERSHIP;
    const groups = await repo.groups({ partnershipId, period, granularity, filters: options.filters ?? {} });
    return assembleLearning(partnershipId, period, granularity, groups);
  }

  it('counts the twelve raised from 1 March to 30 April (London) in every bucket, weekly', async () => {
    const answer = await learning('2026-03-01', '2026-04-30');
    expect(answer.granularity).toBe('WEEK');
    expect(answer.total).toBe(12);
    expect(answer.byRaisingAgency).toEqual([
      { agencyId: POLICE, count: 5 },
      { agencyId: HEALTH, count: 3 },
      { agencyId: LA, count: 2 },
      { agencyId: EDUCATION, count: 2 },
    ]);
    expect(answer.byReceivingAgency).toEqual([
      { agencyId: LA, count: 9 },
      { agencyId: POLICE, count: 2 },
      { agencyId: HEALTH, count: 1 },
    ]);
    expect(answer.byAgencyPair).toEqual([
      { raisingAgencyId: POLICE, receivingAgencyId: LA, count: 5 },
      { raisingAgencyId: HEALTH, receivingAgencyId: LA, count: 2 },
      { raisingAgencyId: EDUCATION, receivingAgencyId: LA, count: 2 },
      { raisingAgencyId: LA, receivingAgencyId: POLICE, count: 1 },
      { raisingAgencyId: LA, receivingAgencyId: HEALTH, count: 1 },
      { raisingAgencyId: HEALTH, receivingAgencyId: POLICE, count: 1 },
    ]);
    expect(answer.byGround).toEqual([
      { ground: 'threshold-disagreement', count: 4 },
      { ground: 'stalled-plan', count: 1 },
      { ground: 'disengagement', count: 3 },
      { ground: 'increasing-risk', count: 1 },
      { ground: 'procedures-not-followed', count: 1 },
      { ground: 'referral-not-progressed', count: 0 },
      { ground: 'information-not-shared', count: 1 },
      { ground: 'quality-of-work', count: 1 },
      { ground: 'actions-not-completed', count: 0 },
    ]);
    expect(answer.byHighestStage).toEqual([
      { stage: 1, count: 7 },
      { stage: 2, count: 3 },
      { stage: 3, count: 1 },
      { stage: 4, count: 1 },
    ]);
    expect(answer.byOutcome).toEqual([
      { outcome: 'AGREED_ACTION_PLAN', count: 2 },
      { outcome: 'DECISION_UPHELD', count: 1 },
      { outcome: 'DECISION_CHANGED', count: 1 },
      { outcome: 'WITHDRAWN', count: 1 },
      { outcome: 'OTHER', count: 2 },
    ]);
    expect(answer.byStatus).toEqual([
      { status: 'OPEN', count: 4 },
      { status: 'RESOLVED', count: 7 },
      { status: 'REDIRECTED', count: 1 },
    ]);
    expect(answer.byOrigin).toEqual([
      { origin: 'AUTO_RAISED', count: 8 },
      { origin: 'MANUAL', count: 4 },
    ]);
    expect(answer.byImmediateRisk).toEqual([
      { immediateRisk: true, count: 1 },
      { immediateRisk: false, count: 11 },
    ]);
    // 2, 24, 30, 100, 200, 400 and 800 hours: the median is the fourth, p90 is 400 + 0.4 × (800 − 400).
    expect(answer.timeToResolution).toEqual({
      resolved: 7,
      medianHours: 100,
      p90Hours: 560,
      histogram: [
        { bucket: 'UNDER_1_DAY', fromHours: 0, toHours: 24, count: 1 },
        { bucket: 'DAYS_1_TO_3', fromHours: 24, toHours: 72, count: 2 },
        { bucket: 'DAYS_3_TO_7', fromHours: 72, toHours: 168, count: 1 },
        { bucket: 'DAYS_7_TO_14', fromHours: 168, toHours: 336, count: 1 },
        { bucket: 'DAYS_14_TO_28', fromHours: 336, toHours: 672, count: 1 },
        { bucket: 'OVER_28_DAYS', fromHours: 672, toHours: null, count: 1 },
      ],
    });
    const week = (start: string, end: string, raised: number, open: number, resolved: number, redirected: number, autoRaised: number, immediateRisk: number) => ({ start, end, raised, open, resolved, redirected, autoRaised, immediateRisk }); // prettier-ignore
    expect(answer.series).toEqual([
      week('2026-03-01', '2026-03-01', 1, 0, 1, 0, 1, 0), // a Sunday: the period's first day alone
      week('2026-03-02', '2026-03-08', 1, 0, 1, 0, 1, 0),
      week('2026-03-09', '2026-03-15', 1, 0, 1, 0, 1, 0),
      week('2026-03-16', '2026-03-22', 2, 0, 2, 0, 1, 0),
      week('2026-03-23', '2026-03-29', 1, 1, 0, 0, 1, 0), // 23:30 BST on Sunday 29 March
      week('2026-03-30', '2026-04-05', 2, 0, 2, 0, 1, 1), // 00:30 BST on Monday 30 March
      week('2026-04-06', '2026-04-12', 1, 1, 0, 0, 1, 0),
      week('2026-04-13', '2026-04-19', 1, 1, 0, 0, 1, 0),
      week('2026-04-20', '2026-04-26', 1, 0, 0, 1, 0, 0),
      week('2026-04-27', '2026-04-30', 1, 1, 0, 0, 0, 0),
    ]);
  });

  it('buckets outcomes in SQL by the rule of the domain', async () => {
    const answer = await learning('2026-03-01', '2026-04-30');
    const expected = new Map<string, number>();
    for (const e of LEARNING_SEED) {
      if (e.partnership !== 'this' || e.status !== 'RESOLVED' || e.name.startsWith('X')) continue;
      const bucket = outcomeBucket(e.outcome);
      expected.set(bucket, (expected.get(bucket) ?? 0) + 1);
    }
    expect(answer.byOutcome).toEqual(
      LEARNING_OUTCOMES.map((outcome) => ({ outcome, count: expected.get(outcome) ?? 0 })),
    );
  });

  it('charts a longer period by month', async () => {
    const answer = await learning('2026-03-01', '2026-06-30');
    expect(answer.granularity).toBe('MONTH');
    expect(answer.total).toBe(13); // with X2, raised at 00:00 London on 1 May
    expect(answer.series).toEqual([
      { start: '2026-03-01', end: '2026-03-31', raised: 7, open: 1, resolved: 6, redirected: 0, autoRaised: 6, immediateRisk: 1 },
      { start: '2026-04-01', end: '2026-04-30', raised: 5, open: 3, resolved: 1, redirected: 1, autoRaised: 2, immediateRisk: 0 },
      { start: '2026-05-01', end: '2026-05-31', raised: 1, open: 1, resolved: 0, redirected: 0, autoRaised: 1, immediateRisk: 0 },
      { start: '2026-06-01', end: '2026-06-30', raised: 0, open: 0, resolved: 0, redirected: 0, autoRaised: 0, immediateRisk: 0 },
    ]); // prettier-ignore
  });

  it.each([
    ['the first day holds the escalation raised at its first instant', '2026-03-01', '2026-03-01', 1],
    ['the day before holds the one raised a second before the period', '2026-02-28', '2026-02-28', 1],
    ['Sunday 29 March (BST) holds 23:30 but not 00:30 on the Monday', '2026-03-29', '2026-03-29', 1],
    ['Monday 30 March (BST) holds 00:30', '2026-03-30', '2026-03-30', 1],
    ['30 April holds 23:59:59', '2026-04-30', '2026-04-30', 1],
    ['1 May holds 00:00', '2026-05-01', '2026-05-01', 1],
    ['a day with nothing raised', '2026-03-02', '2026-03-02', 0],
  ])('bounds the period by London days: %s', async (_what, from, to, total) => {
    expect((await learning(from, to)).total).toBe(total);
  });

  it("counts another partnership's escalations only for that partnership", async () => {
    const answer = await learning('2026-03-01', '2026-04-30', { partnershipId: OTHER });
    expect(answer.total).toBe(2);
    expect(answer.byRaisingAgency).toEqual([
      { agencyId: OTHER_POLICE, count: 1 }, // a tie: by id
      { agencyId: OTHER_LA, count: 1 },
    ]);
    expect(answer.byHighestStage).toEqual([
      { stage: 1, count: 0 },
      { stage: 2, count: 1 }, // started at stage 2 by its raiser
      { stage: 3, count: 0 },
      { stage: 4, count: 1 },
    ]);
    expect(answer.timeToResolution).toMatchObject({ resolved: 1, medianHours: 1000, p90Hours: 1000 });
  });

  it('narrows to the filters: ground, raising agency and origin', async () => {
    const answer = await learning('2026-03-01', '2026-04-30', {
      filters: { grounds: ['threshold-disagreement'], raisingAgencyIds: [POLICE], autoRaised: true },
    });
    expect(answer.total).toBe(4); // E1, E2, E8, E12
    expect(answer.byStatus).toEqual([
      { status: 'OPEN', count: 2 },
      { status: 'RESOLVED', count: 2 },
      { status: 'REDIRECTED', count: 0 },
    ]);
    // 2 and 24 hours: the median halfway, p90 at 2 + 0.9 × 22.
    expect(answer.timeToResolution).toMatchObject({ resolved: 2, medianHours: 13, p90Hours: 21.8 });
  });

  it.each([
    [{ receivingAgencyIds: [POLICE, HEALTH] }, 3],
    [{ immediateRisk: true }, 1],
    [{ autoRaised: false }, 4],
    [{ grounds: ['disengagement', 'quality-of-work'] }, 4],
    [{ grounds: [] }, 0],
  ] as [LearningFilters, number][])('narrows to %j: %i', async (filters, total) => {
    expect((await learning('2026-03-01', '2026-04-30', { filters })).total).toBe(total);
  });

  it('answers with no case, person or free text', async () => {
    const answer = JSON.stringify(await learning('2026-02-01', '2026-05-31'));
    expect(answer).not.toContain(PRIVATE_MARKER);
    expect(answer).not.toMatch(/strategy meeting|LADO|upheld\./i);
  });
});
