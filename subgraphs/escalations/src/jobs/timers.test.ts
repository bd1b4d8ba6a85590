import { TIMER_KINDS } from '../entities/timer.entity';
import { findingTimer } from './finding-timer';
import { fireTimer, TIMERS, type TimerRegistry } from './timers';

describe('the timer registry', () => {
  it('has exactly one handler for every timer kind, the finding timer for `grace`', () => {
    expect(Object.keys(TIMERS).sort()).toEqual([...TIMER_KINDS].sort());
    expect(TIMERS.grace).toBe(findingTimer);
    // @ts-expect-error a registry without a handler for every kind does not compile
    const partial: TimerRegistry = { grace: findingTimer };
    expect(partial).toBeDefined();
  });

  it('refuses a kind it has no handler for instead of handing it to another', async () => {
    const timer = { id: 't', kind: 'reminder', key: 'k', dueAt: new Date(), payload: {}, attempts: 0 };
    await expect(fireTimer({} as never, timer as never, {} as never)).rejects.toThrow(
      'no handler for timer kind reminder',
    );
  });
});
