import { silentLogger } from './logger';
import { PollingLoop } from './polling-loop';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits for a condition (a busy CI machine may be slow to run timers), failing after two seconds. */
async function until(condition: () => boolean): Promise<void> {
  for (let waited = 0; !condition(); waited += 5) {
    if (waited > 2000) throw new Error('condition not met within 2 s');
    await sleep(5);
  }
}

describe('PollingLoop', () => {
  it('runs again at once while a round says more is waiting, then waits the interval', async () => {
    let rounds = 0;
    const loop = new PollingLoop({
      run: async () => ++rounds < 3,
      intervalMs: 10_000,
      logger: silentLogger(),
      failureMessage: 'failed',
    });
    loop.start();
    await until(() => rounds >= 3);
    await sleep(50);
    await loop.stop();
    expect(rounds).toBe(3);
  });

  it('runs a prompt round when woken, and none once stopped', async () => {
    let rounds = 0;
    const loop = new PollingLoop({
      run: async () => {
        rounds++;
        return false;
      },
      intervalMs: 10_000,
      logger: silentLogger(),
      failureMessage: 'failed',
    });
    loop.start();
    await until(() => rounds === 1);
    loop.wake();
    await until(() => rounds === 2);
    await sleep(20);
    expect(rounds).toBe(2);
    await loop.stop();
    loop.wake();
    await sleep(20);
    expect(rounds).toBe(2);
  });

  it('keeps going after a round throws', async () => {
    let rounds = 0;
    const loop = new PollingLoop({
      run: async () => {
        rounds++;
        if (rounds === 1) throw new Error('boom');
        return false;
      },
      intervalMs: 5,
      logger: silentLogger(),
      failureMessage: 'failed',
    });
    loop.start();
    await until(() => rounds >= 2);
    await loop.stop();
    expect(rounds).toBeGreaterThanOrEqual(2);
  });
});
