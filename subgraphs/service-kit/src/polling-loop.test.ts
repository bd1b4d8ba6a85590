import { silentLogger } from './logger';
import { PollingLoop } from './polling-loop';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

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
    // "At once" is measured against the 10 s interval: on a loaded machine three rounds may take more than 50 ms.
    for (let waited = 0; rounds < 3 && waited < 2_000; waited += 10) await sleep(10);
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
    await sleep(20);
    loop.wake();
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
    await sleep(50);
    await loop.stop();
    expect(rounds).toBeGreaterThanOrEqual(2);
  });
});
