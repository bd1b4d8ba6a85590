import type { CaseEventMessage } from '@mash/schema';
import { POLICE, LA, laThresholdEvent, policeChildProtectionSince } from '@test/support/fixtures/escalations';
import { engineAndScheduler, graceTimer } from '@test/support/fixtures/escalations-harness';

// Integration: the engine tells a redelivered or older case event from a newer one by the case event's sequence
// (its status change's place in the order the cases service applied them), on the real database, without an inbox
// row per message: a disagreement that ended is not armed again by the event that began it arriving once more.

describe('case events in sequence', () => {
  const t = engineAndScheduler('2026-06-01T09:00:00.000Z');
  const police = policeChildProtectionSince('sc-seq-police');
  /** The local authority's judgement on the case, the police judging child protection: universal disagrees. */
  const laEvent = (
    caseId: string,
    threshold: 'universal' | 'child-in-need',
    id: string,
    at: string,
    sequence?: number,
  ): CaseEventMessage => ({
    ...laThresholdEvent(caseId, threshold, id, at, police),
    ...(sequence !== undefined && { sequence }),
  });
  const stored = async (caseId: string) =>
    (
      (await t.dataSource.query(
        `SELECT "sequence"::text AS "sequence", "snapshot"->'positions'->0->>'threshold' AS "laThreshold"
           FROM "escalations"."case_snapshot" WHERE "case_id" = $1`,
        [caseId],
      )) as { sequence: string | null; laThreshold: string }[]
    )[0];
  const inboxRows = async (...ids: string[]) =>
    Number(
      (
        (await t.dataSource.query(
          `SELECT count(*)::int AS "n" FROM "escalations"."inbox" WHERE "message_id" = ANY($1::text[])`,
          [ids],
        )) as { n: number }[]
      )[0]!.n,
    );

  it('passes over a redelivery and an older event after a newer one: the snapshot and timers stay the newer', async () => {
    const { engine } = t;
    const caseId = '7d1f0c4e-0000-4000-8000-0000000005e1';
    const began = laEvent(caseId, 'universal', 'sc-seq-1', '2026-06-01T09:00:00.000Z', 101);
    const ended = laEvent(caseId, 'child-in-need', 'sc-seq-2', '2026-06-01T10:00:00.000Z', 205);

    expect(await engine.handle(began)).toEqual({
      replay: false,
      findings: 1,
      evidenceAdded: 0,
      timersArmed: 1,
      timersDisarmed: 0,
    });
    expect(await graceTimer(t.dataSource, caseId, POLICE, LA)).toMatchObject({ fired_at: null });
    expect(await engine.handle(ended)).toEqual({
      replay: false,
      findings: 0,
      evidenceAdded: 0,
      timersArmed: 0,
      timersDisarmed: 1,
    });
    expect(await stored(caseId)).toEqual({ sequence: '205', laThreshold: 'child-in-need' });

    // The event that began the disagreement, delivered again after the one that ended it; then the newer again.
    const replay = { replay: true, findings: 0, evidenceAdded: 0, timersArmed: 0, timersDisarmed: 0 };
    expect(await engine.handle(began)).toEqual(replay);
    expect(await engine.handle(ended)).toEqual(replay);
    expect(await stored(caseId)).toEqual({ sequence: '205', laThreshold: 'child-in-need' });
    expect(await graceTimer(t.dataSource, caseId, POLICE, LA)).toBeUndefined();
    // No inbox row was needed for either.
    expect(await inboxRows('sc-seq-1', 'sc-seq-2')).toBe(0);
  });

  it('in one batch applies each case event once, in sequence, whatever else the batch carries', async () => {
    const { engine } = t;
    const caseId = '7d1f0c4e-0000-4000-8000-0000000005e2';
    const first = laEvent(caseId, 'universal', 'sc-seqb-1', '2026-06-01T09:00:00.000Z', 310);
    const second = laEvent(caseId, 'child-in-need', 'sc-seqb-2', '2026-06-01T10:00:00.000Z', 320);
    const outcomes = await engine.handleBatch([first, first, second, first, second]);
    expect(outcomes.map((o) => o.replay)).toEqual([false, true, false, true, true]);
    expect(outcomes[0]).toMatchObject({ findings: 1, timersArmed: 1 });
    expect(outcomes[2]).toMatchObject({ findings: 0, timersArmed: 0, timersDisarmed: 1 });
    expect(await stored(caseId)).toEqual({ sequence: '320', laThreshold: 'child-in-need' });
    expect(await graceTimer(t.dataSource, caseId, POLICE, LA)).toBeUndefined();
  });

  it('takes the first sequenced event after a snapshot stored without one, and keeps the inbox for events without', async () => {
    const { engine } = t;
    const caseId = '7d1f0c4e-0000-4000-8000-0000000005e3';
    // Written before case events carried a sequence: through the inbox, the snapshot stored without one.
    const legacy = laEvent(caseId, 'universal', 'sc-seql-1', '2026-06-01T09:00:00.000Z');
    expect(await engine.handle(legacy)).toMatchObject({ replay: false, timersArmed: 1 });
    expect(await engine.handle(legacy)).toMatchObject({ replay: true });
    expect(await inboxRows('sc-seql-1')).toBe(1);
    expect(await stored(caseId)).toEqual({ sequence: null, laThreshold: 'universal' });

    const next = laEvent(caseId, 'child-in-need', 'sc-seql-2', '2026-06-01T10:00:00.000Z', 400);
    expect(await engine.handle(next)).toMatchObject({ replay: false, timersDisarmed: 1 });
    expect(await stored(caseId)).toEqual({ sequence: '400', laThreshold: 'child-in-need' });

    // One more without a sequence (an older producer still running): applied by its inbox row, and the stored
    // sequence is kept, so an older sequenced event arriving now is still passed over.
    const unsequenced = laEvent(caseId, 'universal', 'sc-seql-3', '2026-06-01T11:00:00.000Z');
    expect(await engine.handle(unsequenced)).toMatchObject({ replay: false, timersArmed: 1 });
    expect(await stored(caseId)).toEqual({ sequence: '400', laThreshold: 'universal' });
    expect(
      await engine.handle(laEvent(caseId, 'child-in-need', 'sc-seql-0', '2026-06-01T08:00:00.000Z', 399)),
    ).toMatchObject({ replay: true });
    expect(await stored(caseId)).toEqual({ sequence: '400', laThreshold: 'universal' });
  });
});
