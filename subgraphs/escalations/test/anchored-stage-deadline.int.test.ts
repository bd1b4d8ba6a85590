import { mkTogetherPolicy, type EscalationPolicy } from '@mash/schema';
import { openDatabase, type DataSource } from '@mash/service-kit';
import { createTestDatabase, type TestDatabase } from '@test/support/database';
import { escalationsOf, historyOf } from '@test/support/fixtures/escalations-harness';
import { englandAndWalesCalendar } from '../src/domain/calendars';
import { raise } from '../src/domain/escalation';
import { entities } from '../src/entities';
import { fireStageDeadline } from '../src/jobs/stage-deadline-timer';
import { migrations } from '../src/migrations';
import { appendTransition, insertEscalation } from '../src/repositories/escalation.repository';
import { stageHistory } from '../src/repositories/stage-history.repository';
import { stageTimerKey } from '../src/repositories/timer.repository';

// Integration: the stage deadline timer reads the escalation's stage history from its transitions in a throwaway
// Postgres database with the real migrations, so a stage anchored on an earlier stage counts from that stage.

const PARTNERSHIP = '3f0e0000-0000-4000-8000-000000000001';
const CASE = '3f0e0000-0000-4000-8000-0000000000c1';

/** MK Together's stages, but stage 1 and 2 one working day each and stage 3 anchored on stage 1's start. */
const policy: EscalationPolicy = {
  ...mkTogetherPolicy(),
  stages: mkTogetherPolicy().stages.map((s) => {
    if (s.stage === 1 || s.stage === 2) return { ...s, timescale: { amount: 1, unit: 'working-days' } };
    if (s.stage === 3) return { ...s, anchor: { stage: 1, event: 'stage-start' } };
    return s;
  }),
};

describe('a stage deadline anchored on an earlier stage, on a real database', () => {
  let db: TestDatabase;
  let ds: DataSource;
  const id = '3f0e0000-0000-4000-8000-0000000000e1';

  beforeAll(async () => {
    db = await createTestDatabase();
    ds = await openDatabase({
      url: db.url,
      schema: 'escalations',
      entities,
      migrations,
      applicationName: 'anchored-deadline-test',
    });
    // Raised on Monday 1 June 2026, 10:00 BST.
    const raised = raise(
      {
        id,
        caseId: CASE,
        partnershipId: PARTNERSHIP,
        ground: 'threshold-disagreement',
        raisingAgencyId: 'police',
        receivingAgencyId: 'la',
        evidence: [],
        at: new Date('2026-06-01T09:00:00.000Z'),
        reason: 'the agencies disagree',
      },
      policy,
      englandAndWalesCalendar(),
    );
    await ds.transaction(async (m) => {
      await insertEscalation(m, raised.escalation);
      await appendTransition(m, id, raised.transition);
    });
  });

  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  const fire = (stage: number, now: string) =>
    ds.transaction((m) =>
      fireStageDeadline(
        m,
        { escalationId: id, partnershipId: PARTNERSHIP, stage },
        policy,
        new Date(now),
        'events',
      ),
    );

  it('reads when each stage started from the transitions', async () => {
    expect(await fire(1, '2026-06-02T09:00:00.000Z')).toEqual({ outcome: 'advanced', events: 1 });
    await ds.transaction(async (m) => {
      await appendTransition(m, id, {
        at: new Date('2026-06-02T10:00:00.000Z'),
        fromStage: 2,
        toStage: 2,
        fromStatus: 'AWAITING_ACKNOWLEDGEMENT',
        toStatus: 'IN_DISCUSSION',
        actor: 'contact:la-line-manager',
        rationale: 'Taken up.',
      });
      expect(await stageHistory(m, id)).toEqual([
        { stage: 1, startedAt: new Date('2026-06-01T09:00:00.000Z'), firstMeetingAt: null },
        { stage: 2, startedAt: new Date('2026-06-02T09:00:00.000Z'), firstMeetingAt: null },
      ]);
    });
  });

  it("counts stage 3's 10 days from stage 1's start, and says so in the history", async () => {
    expect(await fire(2, '2026-06-03T09:00:00.000Z')).toEqual({ outcome: 'advanced', events: 1 });
    const [e] = await escalationsOf(ds, CASE);
    expect(e).toMatchObject({ stage: 3, stage_owner_roles: ['head-of-service'] });
    // 10 calendar days from 1 June, not from 3 June (which would be 13 June).
    expect(e?.stage_deadline).toEqual(new Date('2026-06-11T09:00:00.000Z'));
    const history = await historyOf(ds, id);
    expect(history.map((h) => h.to_stage)).toEqual([1, 2, 2, 3]);
    expect(history[3]?.rationale).toBe(
      'The stage 2 (Line managers and safeguarding leads) deadline of 2026-06-03T09:00:00.000Z passed without ' +
        'resolution; moved to stage 3 (Heads of service meet). Its deadline is 10 calendar days from the start of ' +
        'stage 1 (2026-06-01T09:00:00.000Z): 2026-06-11T09:00:00.000Z.',
    );
    const [timer] = (await ds.query(`SELECT "due_at" FROM "escalations"."timer" WHERE "key" = $1`, [
      stageTimerKey(id, 3),
    ])) as { due_at: Date }[];
    expect(timer?.due_at).toEqual(new Date('2026-06-11T09:00:00.000Z'));
  });
});
