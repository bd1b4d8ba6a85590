import type { CaseSignalSnapshot } from '@mash/schema';
import { EDUCATION, HEALTH, LA, POLICE, caseEventWith, signalOf } from '@test/support/fixtures/escalations';
import {
  engineAndScheduler,
  escalationsOf,
  evidenceOf,
  findingTimersOf,
  historyOf,
} from '@test/support/fixtures/escalations-harness';

// Integration: disengagement signals from several agencies raise one escalation, later signals join it, and one
// resolved on the same signals is not raised again.

const involved = [LA, HEALTH, POLICE, EDUCATION];
const wasNotBrought = (id: string, at: string) =>
  signalOf(id, HEALTH, 'appointment-not-attended', at, { appointment: { attendance: 'was-not-brought' } });
const absence = (id: string, at: string) => signalOf(id, EDUCATION, 'unexplained-absence', at);
// (A missing episode would count too, but it is also a risk signal: it would raise increasing risk beside.)
const noAccess = (id: string, at: string) =>
  signalOf(id, LA, 'visit', at, { visit: { outcome: 'no-access' } });
/** The case after `latest`, with every signal so far, newest first. */
const event = (caseId: string, latest: CaseSignalSnapshot, ...earlier: CaseSignalSnapshot[]) =>
  caseEventWith(caseId, latest.statusChangeId, latest.agencyId, latest.kind, latest.facts, {
    involved,
    signals: [latest, ...earlier],
  });

describe('disengagement', () => {
  const t = engineAndScheduler('2026-06-01T09:00:00.000Z');
  const caseId = 'disengagement-two-agencies';
  const wnb = wasNotBrought('sc-wnb', '2026-05-20T09:00:00.000Z');
  const gone = absence('sc-absence', '2026-05-29T09:00:00.000Z');
  const absent = noAccess('sc-no-access', '2026-06-01T08:00:00.000Z');

  it('raises two signals from two agencies within 28 days at once, health raising to the local authority', async () => {
    const { engine, scheduler, dataSource: ds } = t;
    expect(await engine.handle(event(caseId, wnb))).toMatchObject({ findings: 0, timersArmed: 0 });
    expect(await engine.handle(event(caseId, gone, wnb))).toMatchObject({ findings: 1, timersArmed: 1 });
    expect(await scheduler.runOnce()).toEqual(['raised']);
    const [raised, ...more] = await escalationsOf(ds, caseId);
    expect(more).toEqual([]);
    expect(raised).toMatchObject({ raising_agency_id: HEALTH, receiving_agency_id: LA, auto_raised: true });
    expect(await evidenceOf(ds, raised!.id)).toEqual(['sc-absence', 'sc-wnb']);
    expect((await historyOf(ds, raised!.id))[0]?.rationale).toBe(
      'Raised automatically: 2 signs of disengagement from 2 agencies within 28 days: Milton Keynes University ' +
        'Hospital (not brought to an appointment), Oakgrove School (an unexplained absence).',
    );
  });

  it('joins a later signal to the open escalation instead of raising another, and a replay changes nothing', async () => {
    const { engine, scheduler, dataSource: ds } = t;
    expect(await engine.handle(event(caseId, absent, gone, wnb))).toEqual({
      replay: false,
      findings: 1,
      evidenceAdded: 1,
      timersArmed: 0,
      timersDisarmed: 0,
    });
    expect(await engine.handle(event(caseId, absent, gone, wnb))).toMatchObject({ replay: true });
    expect(await scheduler.runOnce()).toEqual([]);
    const [open, ...more] = await escalationsOf(ds, caseId);
    expect(more).toEqual([]);
    expect(await evidenceOf(ds, open!.id)).toEqual(['sc-absence', 'sc-no-access', 'sc-wnb']);
  });

  it('does not raise again on the signals an escalation was resolved on, and raises anew on a new signal', async () => {
    const { clock, engine, scheduler, dataSource: ds } = t;
    clock.set('2026-06-01T12:00:00.000Z');
    await ds.query(
      `UPDATE "escalations"."escalation" SET "status" = 'RESOLVED', "resolved_at" = $2, "outcome" = 'AGREED_ACTION_PLAN'
        WHERE "case_id" = $1`,
      [caseId, clock.now()],
    );
    // An unrelated status change: the case still shows the same signals.
    const unrelated = caseEventWith(
      caseId,
      'sc-la-threshold',
      LA,
      'threshold-judgement',
      { threshold: 'early-help' },
      {
        involved,
        signals: [absent, gone, wnb],
      },
    );
    expect(await engine.handle(unrelated)).toMatchObject({ findings: 1, timersArmed: 0, evidenceAdded: 0 });
    expect(await scheduler.runOnce()).toEqual([]);
    expect(await escalationsOf(ds, caseId)).toHaveLength(1);

    const again = wasNotBrought('sc-wnb-2', '2026-06-01T11:00:00.000Z');
    expect(await engine.handle(event(caseId, again, absent, gone, wnb))).toMatchObject({ timersArmed: 1 });
    expect(await scheduler.runOnce()).toEqual(['raised']);
    const [, second] = await escalationsOf(ds, caseId);
    expect(await evidenceOf(ds, second!.id)).toEqual(['sc-absence', 'sc-no-access', 'sc-wnb', 'sc-wnb-2']);
  });

  it('raises nothing for signals from one agency alone', async () => {
    const { engine, scheduler, dataSource: ds } = t;
    const alone = 'disengagement-one-agency';
    const first = wasNotBrought('sc-alone-1', '2026-05-20T09:00:00.000Z');
    const second = wasNotBrought('sc-alone-2', '2026-05-27T09:00:00.000Z');
    await engine.handle(event(alone, first));
    expect(await engine.handle(event(alone, second, first))).toMatchObject({ findings: 0, timersArmed: 0 });
    expect(await findingTimersOf(ds, alone)).toEqual([]);
    expect(await scheduler.runOnce()).toEqual([]);
    expect(await escalationsOf(ds, alone)).toEqual([]);
  });
});

describe('disengagement: findings of one batch joining the same escalation', () => {
  const t = engineAndScheduler('2026-06-01T09:00:00.000Z');
  const caseId = 'disengagement-batch-joins';
  const wnb = wasNotBrought('sc-batch-wnb', '2026-05-20T09:00:00.000Z');
  const gone = absence('sc-batch-absence', '2026-05-29T09:00:00.000Z');
  const first = noAccess('sc-batch-no-access', '2026-06-01T07:00:00.000Z');
  const second = absence('sc-batch-absence-2', '2026-06-01T08:00:00.000Z');

  it('adds each status change once, crediting the first finding that brings it, with an event for each in order', async () => {
    const { engine, scheduler, dataSource: ds } = t;
    await engine.handle(event(caseId, gone, wnb));
    expect(await scheduler.runOnce()).toEqual(['raised']);
    const [open] = await escalationsOf(ds, caseId);
    const before = Number(
      (
        (await ds.query(`SELECT coalesce(max("id"), 0) AS "id" FROM "escalations"."outbox"`)) as {
          id: string;
        }[]
      )[0]!.id,
    );

    // The second event's case holds the first's signal too: only its own is new to the escalation.
    expect(
      await engine.handleBatch([event(caseId, first, gone, wnb), event(caseId, second, first, gone, wnb)]),
    ).toEqual([
      { replay: false, findings: 1, evidenceAdded: 1, timersArmed: 0, timersDisarmed: 0 },
      { replay: false, findings: 1, evidenceAdded: 1, timersArmed: 0, timersDisarmed: 0 },
    ]);
    expect(await evidenceOf(ds, open!.id)).toEqual([
      'sc-batch-absence',
      'sc-batch-absence-2',
      'sc-batch-no-access',
      'sc-batch-wnb',
    ]);
    const events = (await ds.query(
      `SELECT "value"::jsonb AS "value" FROM "escalations"."outbox" WHERE "id" > $1 ORDER BY "id"`,
      [before],
    )) as { value: { type: string; escalationId: string; rationale: string } }[];
    expect(events.map((e) => [e.value.type, e.value.escalationId, e.value.rationale])).toEqual([
      ['evidence-added', open!.id, '1 new status change joined the escalation.'],
      ['evidence-added', open!.id, '1 new status change joined the escalation.'],
    ]);

    // Both again, in one batch: replays, nothing added, no event.
    expect(
      await engine.handleBatch([event(caseId, first, gone, wnb), event(caseId, second, first, gone, wnb)]),
    ).toMatchObject([{ replay: true }, { replay: true }]);
    expect(await evidenceOf(ds, open!.id)).toHaveLength(4);
  });
});
