import { openDatabase, type DataSource } from '@mash/service-kit';
import { createTestDatabase, type TestDatabase } from '@test/support/database';
import { entities } from '../src/entities';
import { migrations } from '../src/migrations';
import {
  armTimer,
  claimDueTimerBatch,
  claimDueTimers,
  lockClaimedTimer,
  markFired,
  setTimer,
} from '../src/repositories/timer.repository';

// Integration, on the real escalations schema: a sweep finds and claims its batch of due timers in one statement
// under a lease; other sweeps pass over claimed timers until the lease runs out; a claimed timer that fired, moved
// later or was disarmed meanwhile is not locked for firing.

describe('claiming due timers in batches', () => {
  let db: TestDatabase;
  let ds: DataSource;
  const now = new Date('2026-06-01T09:00:00.000Z');
  const lease = new Date(now.getTime() + 300_000);
  const DUE = 120;

  beforeAll(async () => {
    db = await createTestDatabase();
    ds = await openDatabase({
      url: db.url,
      schema: 'escalations',
      entities,
      migrations,
      applicationName: 'claim-test',
    });
    await ds.transaction(async (m) => {
      for (let i = 0; i < DUE; i++) {
        const dueAt = new Date(now.getTime() - (DUE - i) * 60_000);
        await armTimer(m, 'grace', `due-${String(i).padStart(3, '0')}`, dueAt, {
          partnershipId: 'p',
          caseId: `c${i}`,
        });
      }
      await armTimer(m, 'grace', 'later', new Date(now.getTime() + 3_600_000), {
        partnershipId: 'p',
        caseId: 'x',
      });
    });
  });

  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  it('claims disjoint batches, earliest first, and nothing that is not due', async () => {
    const batches: string[][] = [];
    for (;;) {
      const got = await ds.transaction((m) => claimDueTimerBatch(m, now, lease, 50));
      if (got.length === 0) break;
      batches.push(got.map((t) => t.key));
    }
    expect(batches.map((b) => b.length)).toEqual([50, 50, 20]);
    const keys = batches.flat();
    expect(keys).toEqual(Array.from({ length: DUE }, (_, i) => `due-${String(i).padStart(3, '0')}`));
    // A claim of one, as a mutation or another instance might make, passes over what a sweep holds.
    expect(await ds.transaction((m) => claimDueTimers(m, now, 10))).toEqual([]);
  });

  it('hands the claims back when the lease runs out', async () => {
    const after = new Date(lease.getTime() + 1);
    const got = await ds.transaction((m) =>
      claimDueTimerBatch(m, after, new Date(after.getTime() + 300_000), 500),
    );
    expect(got).toHaveLength(DUE);
  });

  it('locks a claimed timer for firing only while it is still due and unfired', async () => {
    const at = new Date(lease.getTime() + 1);
    const [fired, moved, disarmed, waiting] = ['due-000', 'due-001', 'due-002', 'due-003'];
    const idOf = async (key: string) =>
      (
        (await ds.query(`SELECT "id" FROM "escalations"."timer" WHERE "key" = $1`, [key])) as { id: string }[]
      )[0]!.id;
    const ids = {
      fired: await idOf(fired!),
      moved: await idOf(moved!),
      disarmed: await idOf(disarmed!),
      waiting: await idOf(waiting!),
    };
    await ds.transaction(async (m) => {
      await markFired(m, ids.fired, at);
      // The engine moves a claimed timer to later (a deadline moved) and disarms another (the expected event came).
      await setTimer(m, 'grace', moved!, new Date(at.getTime() + 86_400_000), {
        partnershipId: 'p',
        caseId: 'c1',
      });
      await m.query(`DELETE FROM "escalations"."timer" WHERE "id" = $1`, [ids.disarmed]);
    });
    const locked = await ds.transaction(async (m) => ({
      fired: await lockClaimedTimer(m, ids.fired, at),
      moved: await lockClaimedTimer(m, ids.moved, at),
      disarmed: await lockClaimedTimer(m, ids.disarmed, at),
      waiting: await lockClaimedTimer(m, ids.waiting, at),
    }));
    expect(locked.fired).toBeNull();
    expect(locked.moved).toBeNull();
    expect(locked.disarmed).toBeNull();
    expect(locked.waiting?.key).toBe(waiting);
    // The moved timer's lease is cleared: it is claimable when its new time comes.
    const [row] = (await ds.query(`SELECT "claimed_until" FROM "escalations"."timer" WHERE "id" = $1`, [
      ids.moved,
    ])) as { claimed_until: Date | null }[];
    expect(row?.claimed_until).toBeNull();
  });

  it('waits for a transaction holding a claimed timer, and finds it fired when that one has fired it', async () => {
    const at = new Date(lease.getTime() + 1);
    const id = (
      (await ds.query(`SELECT "id" FROM "escalations"."timer" WHERE "key" = 'due-010'`)) as { id: string }[]
    )[0]!.id;
    const runner = ds.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    let waited: Promise<unknown> | undefined;
    try {
      // Another instance, whose lease ran out on us, fires it first.
      expect((await lockClaimedTimer(runner.manager, id, at))?.key).toBe('due-010');
      await markFired(runner.manager, id, at);
      let settled = false;
      waited = ds
        .transaction((m) => lockClaimedTimer(m, id, at))
        .finally(() => {
          settled = true;
        });
      await new Promise((r) => setTimeout(r, 300));
      expect(settled).toBe(false);
      await runner.commitTransaction();
      expect(await waited).toBeNull();
    } finally {
      if (runner.isTransactionActive) await runner.rollbackTransaction();
      await runner.release();
      await waited?.catch(() => undefined);
    }
  });
});
