import { mkdirSync, readFileSync, unlinkSync, writeFileSync, linkSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../../scripts/lib/repo-root';
import { startKafkaBroker, type KafkaBroker } from '../../scripts/lib/kafka-broker';

export interface TestBroker {
  /** The broker as now running (a new handle after `restart`, with the same addresses and principals). */
  readonly broker: KafkaBroker;
  /**
   * Takes the broker down and keeps its data (crash tests): `SIGTERM` is a controlled shutdown, `SIGKILL` kills the
   * process at once.
   */
  halt(signal: 'SIGTERM' | 'SIGKILL'): Promise<void>;
  /** Starts the same broker again after `halt`: same ports, data folder (topics, offsets) and principals. */
  restart(): Promise<void>;
  /** Stops the broker and gives its slot back. */
  release(): Promise<void>;
}

export interface TestBrokerOptions {
  /** Client port of the first slot; slot n uses port + 10n. */
  readonly port: number;
  /** Controller port of the first slot; slot n uses controllerPort + 10n. */
  readonly controllerPort: number;
  /** How many slots to try before giving up. */
  readonly slots?: number;
  /** Principals besides admin and platform (agency source systems). */
  readonly principals?: readonly string[];
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * Claims `<lock>` for this process: atomically (a hard link of a file holding our pid), taking over a lock whose
 * owner has died. False when a live process holds it.
 */
function claim(lock: string): boolean {
  const mine = `${lock}.${process.pid}`;
  writeFileSync(mine, `${process.pid}\n`);
  try {
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        linkSync(mine, lock);
        return true;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
      const owner = Number(readFileSync(lock, 'utf8').trim());
      if (Number.isInteger(owner) && owner > 0 && alive(owner)) return false;
      unlinkSync(lock); // the run that held it died without its teardown
    }
    return false;
  } finally {
    unlinkSync(mine);
  }
}

/**
 * Starts an empty broker for one jest run. Each slot (ports and `.data/kafka-test-<port>`) is held by one live run
 * at a time, so several runs on the same checkout (two terminals, parallel agents) each get their own broker
 * instead of wiping each other's; a slot whose ports something else listens on is skipped.
 */
export async function startTestBroker(options: TestBrokerOptions): Promise<TestBroker> {
  const dataRoot = path.join(repoRoot(), '.data');
  mkdirSync(dataRoot, { recursive: true });
  const failures: string[] = [];
  for (let slot = 0; slot < (options.slots ?? 5); slot++) {
    const port = options.port + 10 * slot;
    const controllerPort = options.controllerPort + 10 * slot;
    const lock = path.join(dataRoot, `kafka-test-${port}.lock`);
    if (!claim(lock)) {
      failures.push(`${port}: in use by another test run`);
      continue;
    }
    try {
      const start = (clean: boolean) =>
        startKafkaBroker({
          port,
          controllerPort,
          dataDir: path.join(dataRoot, `kafka-test-${port}`),
          clean,
          ...(options.principals && { principals: options.principals }),
        });
      let broker = await start(true);
      return {
        get broker() {
          return broker;
        },
        async halt(signal) {
          await (signal === 'SIGKILL' ? broker.kill() : broker.stop());
        },
        async restart() {
          broker = await start(false);
        },
        async release() {
          try {
            await broker.stop();
          } finally {
            unlinkSync(lock);
          }
        },
      };
    } catch (err) {
      unlinkSync(lock);
      const message = err instanceof Error ? err.message : String(err);
      if (!message.includes('already in use')) throw err;
      failures.push(`${port}: ${message.split('\n').pop() ?? message}`);
    }
  }
  throw new Error(`no free Kafka test broker slot (set TEST_KAFKA_PORT):\n  ${failures.join('\n  ')}`);
}
