import {
  POLICE,
  LA,
  HEALTH,
  directory,
  TestClock,
  position,
  caseEvent,
  caseEventWith,
} from '@test/support/fixtures/escalations';
import { count } from '@test/support/fixtures/escalations-harness';
import { openDatabase, silentLogger, type DataSource } from '@mash/service-kit';
import { createTestDatabase, type TestDatabase } from '@test/support/database';
import { EscalationEngine } from '../src/services/engine.service';
import { ClockScheduler, type FireOutcome } from '../src/jobs/scheduler';
import { entities } from '../src/entities';
import { migrations } from '../src/migrations';

// Integration: two clock schedulers on one database fire each due timer exactly once: threshold disagreements'
// grace periods and stalled plans' deadlines alike.

describe('clock scheduler with two instances on one database', () => {
  let db: TestDatabase;
  let one: DataSource;
  let two: DataSource;
  const clock = new TestClock(new Date('2026-06-01T09:00:00.000Z'));
  const CASES = 30;
  const STALLED = 15;

  beforeAll(async () => {
    db = await createTestDatabase();
    const open = () =>
      openDatabase({
        url: db.url,
        schema: 'escalations',
        entities,
        migrations,
        applicationName: 'scheduler-test',
      });
    [one, two] = await Promise.all([open(), open()]);
  });

  afterAll(async () => {
    await one?.destroy();
    await two?.destroy();
    await db?.drop();
  });

  it('fires each timer exactly once', async () => {
    const engine = new EscalationEngine({
      dataSource: one,
      directory,
      clock,
      topic: 'events',
      logger: silentLogger(),
    });
    for (let i = 0; i < CASES; i++) {
      const caseId = `case-${i}`;
      await engine.handle(
        caseEvent(
          caseId,
          `sc-${i}-police`,
          POLICE,
          'threshold-judgement',
          { threshold: 'child-protection' },
          [
            position(LA, { threshold: 'universal', thresholdStatusChangeId: `sc-${i}-la` }),
            position(POLICE, { threshold: 'child-protection', thresholdStatusChangeId: `sc-${i}-police` }),
          ],
        ),
      );
    }
    for (let i = 0; i < STALLED; i++) {
      const caseId = `stalled-${i}`;
      // A strategy discussion on 1 May with no initial conference since: overdue by the end of May.
      await engine.handle(
        caseEventWith(
          caseId,
          `sc-${caseId}`,
          LA,
          'strategy-discussion',
          { s47Started: true },
          {
            involved: [LA, HEALTH],
            childProtection: {
              agencyId: LA,
              enquiryStartedAt: '2026-05-01T09:00:00.000Z',
              enquiryStatusChangeId: `sc-${caseId}`,
              initialConferenceAt: null,
              initialConferenceStatusChangeId: null,
              planDecided: false,
              firstCoreGroupAt: null,
              lastCoreGroupAt: null,
              lastCoreGroupStatusChangeId: null,
              lastReviewConferenceAt: null,
              lastReviewConferenceStatusChangeId: null,
            },
          },
        ),
      );
    }
    clock.set('2026-06-01T14:00:00.000Z');
    const scheduler = (ds: DataSource) =>
      new ClockScheduler({
        dataSource: ds,
        directory,
        clock,
        topic: 'events',
        logger: silentLogger(),
        batchSize: 4,
      });
    const a = scheduler(one);
    const b = scheduler(two);
    const fired: { a: FireOutcome[]; b: FireOutcome[] } = { a: [], b: [] };
    const drain = async (s: ClockScheduler, into: FireOutcome[]) => {
      for (;;) {
        const outcomes = await s.runOnce();
        if (outcomes.length === 0) return;
        into.push(...outcomes);
      }
    };
    await Promise.all([drain(a, fired.a), drain(b, fired.b), drain(a, fired.a), drain(b, fired.b)]);

    const TOTAL = CASES + STALLED;
    expect([...fired.a, ...fired.b]).toEqual(Array.from({ length: TOTAL }, () => 'raised'));
    expect(await count(one, `SELECT count(*) AS n FROM "escalations"."escalation"`)).toBe(TOTAL);
    expect(
      await count(
        one,
        `SELECT count(*) AS n FROM "escalations"."escalation" WHERE "ground" = 'stalled-plan'`,
      ),
    ).toBe(STALLED);
    expect(await count(one, `SELECT count(*) AS n FROM "escalations"."escalation_transition"`)).toBe(TOTAL);
    expect(await count(one, `SELECT count(*) AS n FROM "escalations"."outbox"`)).toBe(TOTAL);
    expect(
      await count(
        one,
        `SELECT count(*) AS n FROM "escalations"."timer" WHERE "kind" = 'grace' AND "fired_at" IS NULL`,
      ),
    ).toBe(0);
    expect(
      await count(one, `SELECT count(*) AS n FROM "escalations"."timer" WHERE "kind" = 'stage-deadline'`),
    ).toBe(TOTAL);
  });
});
