import { createLogger, type Logger } from './logger';

/** Something to stop on shutdown, in reverse order of starting. */
export type Stoppable = { stop(): Promise<void> } | (() => Promise<void>);

/**
 * Graceful shutdown: on SIGTERM or SIGINT stop taking work (servers, consumers), finish in-flight work, then
 * close connections; a second signal or the timeout forces exit.
 */
export function onShutdown(logger: Logger, stoppables: () => Stoppable[], timeoutMs = 15_000): void {
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) process.exit(1);
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const timer = setTimeout(() => {
      logger.error('shutdown timed out');
      process.exit(1);
    }, timeoutMs);
    timer.unref();
    for (const s of stoppables().reverse()) {
      try {
        await (typeof s === 'function' ? s() : s.stop());
      } catch (err) {
        logger.error({ err }, 'error while stopping');
      }
    }
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}

/**
 * What a deployable has started, stopped in reverse order: a failed start stops what had started, and `stop()`
 * stops taking work first (HTTP, consumers) before closing what they use (producers, databases).
 */
export class StopStack {
  private readonly stops: { name: string; stop: () => Promise<void> }[] = [];

  constructor(private readonly logger: Logger) {}

  push(name: string, stop: () => Promise<void>): void {
    this.stops.push({ name, stop });
  }

  async stopAll(): Promise<void> {
    while (this.stops.length > 0) {
      const { name, stop } = this.stops.pop()!;
      try {
        await stop();
      } catch (err) {
        this.logger.error({ err, what: name }, 'error while stopping');
      }
    }
  }
}

/**
 * A deployable's `main`: read its validated configuration, start it with a logger at the configured level, and
 * stop it gracefully on SIGTERM or SIGINT. A configuration or start-up failure is logged and exits 1.
 */
export function runDeployable<C extends { readonly logLevel: string }>(
  name: string,
  loadConfig: () => C,
  start: (config: C, logger: Logger) => Promise<Stoppable>,
): void {
  let logger = createLogger(name, 'info');
  const run = async () => {
    const config = loadConfig();
    logger = createLogger(name, config.logLevel);
    const running = await start(config, logger);
    onShutdown(logger, () => [running]);
  };
  run().catch((err: unknown) => {
    logger.fatal({ err }, `${name} failed to start`);
    process.exit(1);
  });
}
