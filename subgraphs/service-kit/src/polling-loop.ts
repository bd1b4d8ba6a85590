import type { Logger } from './logger';

export interface PollingLoopOptions {
  /** One round of work; resolves true when more is probably waiting, so the next round starts at once. */
  readonly run: () => Promise<boolean>;
  /** The pause between rounds when nothing is waiting. */
  readonly intervalMs: number;
  readonly logger: Logger;
  /** Logged with the error when a round throws; the loop carries on at the next interval. */
  readonly failureMessage: string;
  /**
   * When set, a failing round backs off: the pause doubles per consecutive failure, up to this, with jitter (half
   * to all of it); the first success returns to the interval.
   */
  readonly maxBackoffMs?: number;
  /** Told of each failing round (for metrics). */
  readonly onFailure?: (err: unknown) => void;
}

/**
 * Polling work that can also be woken: one round at a time, at once again while there is more to do or a wake-up
 * came during the round, otherwise after the interval. The outbox relay and the clock scheduler both run on it.
 */
export class PollingLoop {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = true;
  private pending = false;
  private failures = 0;

  constructor(private readonly options: PollingLoopOptions) {}

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  /** Ask for a prompt round (after a commit that left work waiting). */
  wake(): void {
    // While failing, the backoff decides when to try again.
    if (this.stopped || this.failures > 0) return;
    if (this.running) {
      this.pending = true;
      return;
    }
    this.schedule(0);
  }

  /** Takes no new round and waits for the one in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  private pause(): number {
    const { intervalMs, maxBackoffMs } = this.options;
    if (this.failures === 0 || maxBackoffMs === undefined) return intervalMs;
    const ceiling = Math.min(maxBackoffMs, intervalMs * 2 ** this.failures);
    return ceiling / 2 + Math.random() * (ceiling / 2);
  }

  private schedule(delay: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.tick(), delay);
  }

  private async tick(): Promise<void> {
    if (this.running || this.stopped) return;
    let more = false;
    let failed = false;
    this.running = (async () => {
      try {
        more = await this.options.run();
      } catch (err) {
        failed = true;
        this.options.onFailure?.(err);
        this.options.logger.error({ err, failures: this.failures + 1 }, this.options.failureMessage);
      }
    })();
    await this.running;
    this.running = undefined;
    this.failures = failed ? this.failures + 1 : 0;
    const again = !failed && (more || this.pending);
    this.pending = false;
    this.schedule(again ? 0 : this.pause());
  }
}
