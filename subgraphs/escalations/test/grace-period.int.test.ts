import {
  POLICE,
  LA,
  position,
  caseEvent,
  laThresholdEvent,
  policeChildProtectionSince,
} from '@test/support/fixtures/escalations';
import {
  escalationsOf,
  evidenceOf,
  engineAndScheduler,
  graceTimer,
} from '@test/support/fixtures/escalations-harness';

// Integration: the grace period runs from when a disagreement began, and restarts only when it stopped.

describe('grace period', () => {
  const t = engineAndScheduler('2026-06-01T09:00:00.000Z');
  const caseId = '7d1f0c4e-0000-4000-8000-0000000000c2';
  const police = policeChildProtectionSince('sc-g-police');
  const laEvent = (threshold: 'universal' | 'child-in-need', id: string, at: string) =>
    laThresholdEvent(caseId, threshold, id, at, police);

  it('raises a disagreement that stopped and came back only a grace period after it came back', async () => {
    const { clock, engine, scheduler } = t;
    // 09:00 the police judge child protection, the local authority universal: 4 hours' grace, due 13:00.
    await engine.handle(laEvent('universal', 'sc-g-la-1', '2026-06-01T09:00:00.000Z'));
    expect((await graceTimer(t.dataSource, caseId, POLICE, LA))?.due_at).toEqual(
      new Date('2026-06-01T13:00:00.000Z'),
    );
    // 10:00 the local authority moves to child in need (one step apart: no disagreement): the timer is disarmed ...
    clock.set('2026-06-01T10:00:00.000Z');
    expect(await engine.handle(laEvent('child-in-need', 'sc-g-la-2', '2026-06-01T10:00:00.000Z'))).toEqual({
      replay: false,
      findings: 0,
      evidenceAdded: 0,
      timersArmed: 0,
      timersDisarmed: 1,
    });
    expect(await graceTimer(t.dataSource, caseId, POLICE, LA)).toBeUndefined();
    // ... and 11:00 back to universal: the disagreement has held since 11:00, so grace ends at 15:00.
    clock.set('2026-06-01T11:00:00.000Z');
    await engine.handle(laEvent('universal', 'sc-g-la-3', '2026-06-01T11:00:00.000Z'));

    clock.set('2026-06-01T13:30:00.000Z');
    expect(await scheduler.runOnce()).toEqual([]);
    expect(await escalationsOf(t.dataSource, caseId)).toEqual([]);
    expect(await graceTimer(t.dataSource, caseId, POLICE, LA)).toMatchObject({
      due_at: new Date('2026-06-01T15:00:00.000Z'),
      fired_at: null,
    });

    clock.set('2026-06-01T14:59:00.000Z');
    expect(await scheduler.runOnce()).toEqual([]);
    expect(await escalationsOf(t.dataSource, caseId)).toEqual([]);

    clock.set('2026-06-01T15:00:00.000Z');
    expect(await scheduler.runOnce()).toEqual(['raised']);
    const [raised, ...more] = await escalationsOf(t.dataSource, caseId);
    expect(more).toEqual([]);
    expect(raised?.raised_at).toEqual(new Date('2026-06-01T15:00:00.000Z'));
    expect(await evidenceOf(t.dataSource, raised!.id)).toEqual(['sc-g-la-3', 'sc-g-police']);
  });

  it('does not restart the grace period when an agency repeats the same judgement', async () => {
    const { clock, engine, scheduler } = t;
    const repeatCase = '7d1f0c4e-0000-4000-8000-0000000000c4';
    const laSince = '2026-06-01T09:00:00.000Z';
    const laRepeat = (id: string, at: string) =>
      caseEvent(repeatCase, id, LA, 'threshold-judgement', { threshold: 'universal' }, [
        position(LA, {
          threshold: 'universal',
          thresholdStatusChangeId: id,
          thresholdAsOf: at,
          thresholdSince: laSince,
          asOf: at,
        }),
        { ...police, thresholdSince: police.thresholdAsOf },
      ]);
    // 09:00 the police judge child protection, the local authority universal: 4 hours' grace, due 13:00.
    clock.set(laSince);
    await engine.handle(laRepeat('sc-r-la-1', laSince));
    // 11:00 and 12:30 the local authority confirms universal again: the disagreement still began at 09:00.
    clock.set('2026-06-01T11:00:00.000Z');
    await engine.handle(laRepeat('sc-r-la-2', '2026-06-01T11:00:00.000Z'));
    clock.set('2026-06-01T12:30:00.000Z');
    await engine.handle(laRepeat('sc-r-la-3', '2026-06-01T12:30:00.000Z'));
    expect((await graceTimer(t.dataSource, repeatCase, POLICE, LA))?.due_at).toEqual(
      new Date('2026-06-01T13:00:00.000Z'),
    );

    clock.set('2026-06-01T13:00:00.000Z');
    expect(await scheduler.runOnce()).toEqual(['raised']);
    const [raised, ...more] = await escalationsOf(t.dataSource, repeatCase);
    expect(more).toEqual([]);
    expect(raised?.raised_at).toEqual(new Date('2026-06-01T13:00:00.000Z'));
  });
});
