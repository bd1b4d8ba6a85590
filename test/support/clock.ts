import type { Clock } from '@mash/escalations';

/**
 * A clock a test holds and moves: handed to the platform (`startDemoPlatform({ clock })`), it is the escalations
 * service's time, so a stage deadline or a statutory timescale lapses when the test says, without sleeping and
 * without editing rows. Moving it wakes nothing by itself: call the platform's `wakeScheduler()` (or
 * `DemoPlatform.sweep()`, which also waits until every timer now due has fired).
 */
export class ControllableClock implements Clock {
  private current: Date;

  constructor(start: Date | string = new Date()) {
    this.current = new Date(start);
  }

  now(): Date {
    return new Date(this.current);
  }

  /** Sets the time; going back is allowed (a test may replay a day), though the services never see time go back. */
  set(at: Date | string): void {
    this.current = new Date(at);
  }

  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}
