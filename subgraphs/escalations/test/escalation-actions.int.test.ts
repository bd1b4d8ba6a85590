import type { AgencyDirectory } from '@mash/service-kit';
import { AuditRecorder, openDatabase, silentLogger, type DataSource } from '@mash/service-kit';
import type { EscalationPolicy, Identity } from '@mash/schema';
import { createTestDatabase, type TestDatabase } from '@test/support/database';
import {
  agencies,
  CASE,
  contactsDirectory,
  HEALTH,
  LA,
  PARTNERSHIP,
  POLICE,
  policy as fixturePolicy,
  TestClock,
} from '@test/support/fixtures/escalations';
import { historyOf } from '@test/support/fixtures/escalations-harness';
import { ClockScheduler } from '../src/jobs/scheduler';
import { entities } from '../src/entities';
import { migrations } from '../src/migrations';
import { EscalationActionService } from '../src/services/escalation-actions.service';

// Integration: people's moves on a real database with the real migrations (no broker: events stop in the outbox).
// A late first meeting moves an anchored deadline and its timer; the last stage lapsing is flagged once however
// many schedulers run; a refused move changes nothing; the records are append-only.

/** The fixture partnership's stages, with stage 3 anchored on stage 1's first meeting and a clock on stage 4. */
const policy: EscalationPolicy = {
  ...fixturePolicy,
  stages: fixturePolicy.stages.map((s) => {
    if (s.stage === 3)
      return {
        ...s,
        timescale: { amount: 10, unit: 'calendar-days' },
        anchor: { stage: 1, event: 'first-meeting' },
      };
    if (s.stage === 4) return { ...s, timescale: { amount: 1, unit: 'hours' } };
    return s;
  }),
};
const directory: AgencyDirectory = {
  sourceSystem: async () => null,
  policy: async () => policy,
  agencies: async () => agencies,
};

const person = (subject: string, roles: Identity['roles'], agencyId?: string): Identity => ({
  subject,
  roles,
  partnershipId: PARTNERSHIP,
  ...(agencyId !== undefined && { agencyId }),
});
const officer = person('contact:police-officer', ['practitioner'], POLICE);
const policeManager = person('contact:police-manager', ['line-manager'], POLICE);
const policeHead = person('contact:police-head', ['head-of-service'], POLICE);
const chair = person('contact:chair', ['partnership-chair']);
const healthVisitor = person('contact:health-visitor', ['practitioner'], HEALTH);

const codeOf = async (p: Promise<unknown>): Promise<unknown> =>
  p.then(
    () => 'no error',
    (err: { extensions?: { code?: unknown } }) => err.extensions?.code,
  );

describe('people moving an escalation, on a real database', () => {
  let db: TestDatabase;
  let ds: DataSource;
  const clock = new TestClock(new Date('2026-06-01T09:00:00.000Z'));
  let actions: EscalationActionService;
  let id: string;
  const audit = (who: Identity) => new AuditRecorder('escalations', who, 'test-request');

  beforeAll(async () => {
    db = await createTestDatabase();
    ds = await openDatabase({
      url: db.url,
      schema: 'escalations',
      entities,
      migrations,
      applicationName: 'actions-test',
    });
    actions = new EscalationActionService({
      dataSource: ds,
      clock,
      directory,
      contacts: contactsDirectory,
      topic: 'events',
    });
    await ds.query(
      `INSERT INTO "escalations"."case_snapshot" ("case_id", "partnership_id", "snapshot", "updated_at")
       VALUES ($1, $2, $3, now())`,
      [
        CASE,
        PARTNERSHIP,
        JSON.stringify({
          id: CASE,
          partnershipId: PARTNERSHIP,
          subjectId: 'subject-1',
          status: 'open',
          involvements: [
            { agencyId: POLICE, open: true },
            { agencyId: LA, open: true },
          ],
          positions: [],
        }),
      ],
    );
  });

  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  const row = async () =>
    (
      (await ds.query(`SELECT * FROM "escalations"."escalation" WHERE "id" = $1`, [id])) as Record<
        string,
        unknown
      >[]
    )[0]!;
  const stageTimer = async (stage: number) =>
    (
      (await ds.query(`SELECT "due_at", "fired_at" FROM "escalations"."timer" WHERE "key" = $1`, [
        `stage:${id}:${stage}`,
      ])) as { due_at: Date; fired_at: Date | null }[]
    )[0];
  const events = async () =>
    (
      (await ds.query(`SELECT "value" FROM "escalations"."outbox" WHERE "key" = $1 ORDER BY "id"`, [id])) as {
        value: { type: string; rationale: string; stage: number; actor: string; cause?: string };
      }[]
    ).map((r) => r.value);

  it("moves stage 3's anchored deadline and its timer when the first stage-1 meeting is recorded late", async () => {
    const raised = await actions.raise(
      officer,
      {
        caseId: CASE,
        ground: 'quality-of-work',
        receivingAgencyId: LA,
        reason: 'The assessment did not speak to the child.',
        immediateRisk: false,
      },
      audit(officer),
    );
    id = raised.escalation.id;
    expect(raised.emergencyReminder).toBeNull();
    clock.set('2026-06-02T09:00:00.000Z');
    await actions.advance(officer, id, 'No reply from the social worker.', audit(officer));
    clock.set('2026-06-03T09:00:00.000Z');
    const three = await actions.advance(policeManager, id, 'Managers could not agree.', audit(policeManager));
    // No meeting recorded at stage 1: stage 3 counts 10 days from stage 1's start.
    expect(three.stageDeadline).toEqual(new Date('2026-06-11T09:00:00.000Z'));
    expect((await stageTimer(3))?.due_at).toEqual(new Date('2026-06-11T09:00:00.000Z'));

    clock.set('2026-06-04T09:00:00.000Z');
    const met = await actions.recordMeeting(
      policeHead,
      id,
      {
        heldAt: new Date('2026-06-01T15:00:00.000Z'),
        participants: [
          { contactId: 'contact:police-officer', agencyId: POLICE },
          { contactId: 'contact:la-social-worker', agencyId: LA },
        ],
        agreed: 'To share the assessment before the heads of service meet.',
      },
      audit(policeHead),
    );
    expect(met.stageDeadline).toEqual(new Date('2026-06-11T15:00:00.000Z'));
    expect((await row())['stage_deadline']).toEqual(new Date('2026-06-11T15:00:00.000Z'));
    expect(await stageTimer(3)).toEqual({ due_at: new Date('2026-06-11T15:00:00.000Z'), fired_at: null });
    const history = await historyOf(ds, id);
    expect(history.at(-1)).toMatchObject({
      to_stage: 3,
      actor: 'contact:police-head',
      rationale:
        'The first meeting at stage 1 moved the stage 3 deadline from 2026-06-11T09:00:00.000Z to ' +
        '2026-06-11T15:00:00.000Z. Its deadline is 10 calendar days from the first meeting at stage 1 ' +
        '(2026-06-01T15:00:00.000Z): 2026-06-11T15:00:00.000Z.',
    });
    expect((await events()).map((e) => [e.type, e.stage])).toEqual([
      ['raised', 1],
      ['stage-advanced', 2],
      ['stage-advanced', 3],
      ['meeting-recorded', 3],
    ]);
  });

  it('changes nothing when a move is refused', async () => {
    const before = { row: await row(), history: await historyOf(ds, id), events: await events() };
    const refusals = [
      // A blank rationale, by an owner of the stage.
      codeOf(actions.advance(policeHead, id, '  ', audit(policeHead))),
      // The wrong role at this stage, and an agency not in dispute.
      codeOf(actions.advance(officer, id, 'Up.', audit(officer))),
      codeOf(actions.advance(healthVisitor, id, 'Up.', audit(healthVisitor))),
      // A panel below the last stage.
      codeOf(
        actions.convenePanel(
          chair,
          id,
          [
            { contactId: 'contact:police-head', agencyId: POLICE },
            { contactId: 'contact:la-head', agencyId: LA },
            { contactId: 'contact:health-visitor', agencyId: HEALTH },
          ],
          audit(chair),
        ),
      ),
      // Learning while still open.
      codeOf(actions.recordLearning(chair, id, 'Too early.', null, audit(chair))),
    ];
    expect(await Promise.all(refusals)).toEqual([
      'BAD_USER_INPUT',
      'FORBIDDEN',
      'FORBIDDEN',
      'INVALID_TRANSITION',
      'INVALID_TRANSITION',
    ]);
    expect({ row: await row(), history: await historyOf(ds, id), events: await events() }).toEqual(before);
  });

  it("flags the last stage's deadline to the chair once, however many schedulers run, and moves nothing", async () => {
    clock.set('2026-06-05T09:00:00.000Z');
    const four = await actions.advance(
      policeHead,
      id,
      'Heads of service could not agree.',
      audit(policeHead),
    );
    expect(four).toMatchObject({ stage: 4, stageDeadline: new Date('2026-06-05T10:00:00.000Z') });
    clock.set('2026-06-05T10:30:00.000Z');
    const deps = { dataSource: ds, directory, clock, topic: 'events', logger: silentLogger() };
    const [a, b] = [new ClockScheduler(deps), new ClockScheduler(deps)];
    const fired = (await Promise.all([a.runOnce(), b.runOnce(), a.runOnce()])).flat();
    expect(fired.filter((o) => o === 'lapsed')).toHaveLength(1);
    expect(await b.runOnce()).toEqual([]);
    expect(await row()).toMatchObject({ stage: 4, status: 'AWAITING_ACKNOWLEDGEMENT' });
    const lapsed = (await events()).filter((e) => e.type === 'stage-lapsed');
    expect(lapsed).toEqual([
      expect.objectContaining({
        stage: 4,
        actor: 'system',
        rationale:
          'The stage 4 (Partnership) deadline of 2026-06-05T10:00:00.000Z passed without resolution. It is the last ' +
          'stage, so nothing moves by itself: flagged to the partnership chair.',
      }),
    ]);
    expect((await historyOf(ds, id)).at(-1)).toMatchObject({ to_stage: 4, actor: 'system' });
  });

  it('keeps meetings, learning, panels and their decisions append-only', async () => {
    await actions.convenePanel(
      chair,
      id,
      [
        { contactId: 'contact:police-head', agencyId: POLICE },
        { contactId: 'contact:la-head', agencyId: LA },
        { contactId: 'contact:health-visitor', agencyId: HEALTH },
      ],
      audit(chair),
    );
    const decided = await actions.recordPanelDecision(
      chair,
      id,
      {
        outcome: 'DECISION_CHANGED',
        outstandingIssues: 'Reassess within 10 days.',
        rationale: 'The panel agreed.',
      },
      audit(chair),
    );
    expect(decided).toMatchObject({ status: 'RESOLVED', outcome: 'DECISION_CHANGED' });
    await actions.recordLearning(
      chair,
      id,
      'Share assessments before meetings.',
      'Debrief held.',
      audit(chair),
    );
    for (const table of [
      'escalation_meeting',
      'escalation_learning',
      'resolution_panel',
      'resolution_panel_decision',
    ]) {
      const [count] = (await ds.query(`SELECT count(*)::int AS n FROM "escalations"."${table}"`)) as {
        n: number;
      }[];
      expect(count?.n).toBe(1);
      await expect(
        ds.query(`UPDATE "escalations"."${table}" SET "escalation_id" = "escalation_id"`),
      ).rejects.toThrow(/append-only/);
      await expect(ds.query(`DELETE FROM "escalations"."${table}"`)).rejects.toThrow(/append-only/);
      await expect(ds.query(`TRUNCATE "escalations"."${table}" CASCADE`)).rejects.toThrow(/append-only/);
    }
  });
});
