import { POLICE, LA, HEALTH, position, caseEvent } from '@test/support/fixtures/escalations';
import {
  escalationsOf,
  count,
  engineAndScheduler,
  graceTimer,
} from '@test/support/fixtures/escalations-harness';
import { eventually } from '@test/support/gateway-client';
import { type DataSource } from '@mash/service-kit';

// Integration: the engine and the scheduler working on the same case at once neither deadlock nor lose work.

describe('engine and scheduler on the same case at once', () => {
  const t = engineAndScheduler('2026-06-01T09:00:00.000Z');
  const caseId = '7d1f0c4e-0000-4000-8000-0000000000c3';
  const la = position(LA, { threshold: 'universal', thresholdStatusChangeId: 'sc-d-la' });
  const police = position(POLICE, { threshold: 'child-protection', thresholdStatusChangeId: 'sc-d-police' });
  const health = position(HEALTH, {
    threshold: 'child-protection',
    thresholdStatusChangeId: 'sc-d-health',
    asOf: '2026-06-01T13:30:00.000Z',
  });
  const waitingOnLocks = (ds: DataSource, n: number, what: string) =>
    eventually(
      async () =>
        (await count(
          ds,
          `SELECT count(*) AS n FROM pg_stat_activity
            WHERE "datname" = current_database() AND "wait_event_type" = 'Lock'`,
        )) >= n
          ? true
          : undefined,
      { what, timeoutMs: 10_000, intervalMs: 20 },
    );

  it('fires a grace timer while a case event for the same case is applied, and both complete', async () => {
    const { clock, engine, scheduler, dataSource: ds } = t;
    // An open police → local authority escalation, and a due grace timer for health → local authority.
    await engine.handle(
      caseEvent(caseId, 'sc-d-police', POLICE, 'threshold-judgement', { threshold: 'child-protection' }, [
        la,
        police,
      ]),
    );
    clock.set('2026-06-01T13:30:00.000Z');
    expect(await scheduler.runOnce()).toEqual(['raised']);
    await engine.handle(
      caseEvent(caseId, 'sc-d-health', HEALTH, 'threshold-judgement', { threshold: 'child-protection' }, [
        la,
        police,
        health,
      ]),
    );
    clock.set('2026-06-01T18:00:00.000Z');
    const [open] = await escalationsOf(ds, caseId);

    // Hold the open escalation, so that the engine stops while it holds the case snapshot ...
    const blocker = ds.createQueryRunner();
    await blocker.connect();
    await blocker.startTransaction();
    await blocker.query(`SELECT 1 FROM "escalations"."escalation" WHERE "id" = $1 FOR UPDATE`, [open!.id]);
    const applying = engine.handle(
      caseEvent(caseId, 'sc-d-police-2', POLICE, 'risk-assessment', { riskLevel: 'medium' }, [
        la,
        { ...police, riskLevel: 'medium', riskStatusChangeId: 'sc-d-police-2' },
        health,
      ]),
    );
    await waitingOnLocks(ds, 1, 'the engine to wait while holding the case snapshot');
    // ... the scheduler claims the health grace timer and waits for the snapshot ...
    const firing = scheduler.runOnce();
    await waitingOnLocks(ds, 2, 'the scheduler to wait for the case snapshot');
    // ... and let the engine go on to arm the health grace timer the scheduler has claimed.
    await blocker.commitTransaction();
    await blocker.release();

    const [applied, fired] = await Promise.allSettled([applying, firing]);
    expect(applied).toMatchObject({ status: 'fulfilled', value: { replay: false, findings: 2 } });
    expect(fired).toEqual({ status: 'fulfilled', value: ['raised'] });
    expect(await graceTimer(ds, caseId, HEALTH, LA)).toMatchObject({
      fired_at: new Date('2026-06-01T18:00:00.000Z'),
      attempts: 0,
      last_error: null,
    });
    expect((await escalationsOf(ds, caseId)).map((e) => e.raising_agency_id)).toEqual([POLICE, HEALTH]);
  });
});
