import type { Batch, Consumer, IHeaders, Kafka } from 'kafkajs';
import pRetry from 'p-retry';
import type { Logger } from '@mash/service-kit';
import { kafkaRetry } from './retry';
import { consumerMetrics, type PipelineMetrics } from './metrics';

export interface ConsumedMessage {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly key: string | null;
  readonly value: Buffer | null;
  readonly headers: IHeaders;
  readonly timestamp: string;
}

/** Thrown by a handler for a message that can never succeed; anything else is retried. */
export class NonRetriableError extends Error {
  readonly retriable = false;
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'NonRetriableError';
  }
}

/** The code a record gets when PostgreSQL refuses its values (a data or integrity error on that record alone). */
export const DATA_REFUSED_CODE = 'EVENT_DATA_REFUSED';

/**
 * A failure that will not go away by trying again: a NonRetriableError, or PostgreSQL refusing the values (SQLSTATE
 * class 22 "data exception", e.g. `2026-02-30T10:00:00Z`, which Date.parse accepts; class 23 "integrity
 * constraint violation"). Returned as the NonRetriableError to dead-letter with; null for anything else.
 */
export function permanentFailure(err: unknown): NonRetriableError | null {
  if (err instanceof NonRetriableError) return err;
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && /^2[23][0-9A-Z]{3}$/.test(code)) {
    // Postgres quotes the refused value at the end of some messages (`invalid input syntax for type uuid: "…"`);
    // it may be personal data, so it is left out of the reason, which goes to logs and dead-letter headers.
    const message = String((err as Error).message).replace(/:\s*".*$/s, '');
    return new NonRetriableError(
      DATA_REFUSED_CODE,
      `the database refused the record (SQLSTATE ${code}): ${message}`,
    );
  }
  return null;
}

/**
 * The fetch of a pipeline stage behind the connector (cases, the escalation engine, notifications): the broker
 * gathers up to 64 KiB (tens to a hundred records) or waits at most 100 ms, so a busy stage handles runs large
 * enough that a run's fixed cost (a transaction and its few set-based statements) is shared, for at most 100 ms of
 * added delay per stage. Once a fetch finds nothing, the next waits up to a second for any record (`idleMaxWaitTimeMs`):
 * a quiet stage polls once a second, not ten times, and a record after a quiet spell is fetched at once.
 */
export const STAGE_FETCH = { minBytes: 64 * 1024, maxWaitTimeMs: 100 } as const;

export interface ConsumerRetryOptions {
  /** Tries of a failing batch or record in process before the consumer restarts and fetches again (default 6). */
  readonly retries?: number;
  readonly minTimeoutMs?: number;
  readonly maxTimeoutMs?: number;
}

/** Points between the steps of a batch, for crash tests: throwing from one stops the batch there. */
export interface ConsumerHooks {
  /** After the batch's effects were applied (its DB transaction committed), before its offsets are committed. */
  readonly afterApply?: (messages: readonly ConsumedMessage[]) => Promise<void> | void;
}

export interface ConsumerOptions {
  readonly kafka: Kafka;
  readonly groupId: string;
  /** Topic names, or patterns matched against the topics that exist when the consumer starts. */
  readonly topics: readonly (string | RegExp)[];
  readonly fromBeginning?: boolean;
  readonly logger: Logger;
  /** Handles one message. Resolving commits it; throwing a retriable error retries it (the offset stays). */
  readonly handle?: (message: ConsumedMessage) => Promise<void>;
  /**
   * Handles a run of consecutive messages of one partition (or of several, each partition's together and in their
   * order: `combinePartitions`), all or nothing (one database transaction; a handler
   * that uses more than one keeps each message's effects in one, and a retried run replays what committed). When
   * it throws, the run is retried (a fault that can clear) or split record by record to find the record that can
   * never succeed, which is dead-lettered while the others are applied in order.
   */
  readonly handleBatch?: (messages: readonly ConsumedMessage[]) => Promise<void>;
  /** Where a message that can never succeed goes; without it such a failure stops the partition. */
  readonly deadLetter?: (message: ConsumedMessage, error: NonRetriableError) => Promise<void>;
  /** Partitions handled at the same time (default 6); one partition's messages are always handled in order. */
  readonly partitionsConsumedConcurrently?: number;
  /**
   * Whether the runs of different partitions that are ready at the same moment (a fetch hands one batch per
   * partition at once) go to `handleBatch` together, as one run of up to `maxBatchSize` messages, each partition's
   * messages together and in their order (default true). The consumer applies one such run at a time, so its
   * partitions' runs do not wait for each other's locks. A combined run that fails is not retried as such: each
   * partition's run is then applied on its own, in turn, with the retries and the isolation of a record that can
   * never succeed described above, so a bad record of one partition holds back no other.
   */
  readonly combinePartitions?: boolean;
  /**
   * How many combined runs (or runs that came alone) the consumer applies at once, each of other partitions (default
   * 1). More only for a handler whose runs of different partitions share no row it writes (the connector's:
   * each stores its own records and counts them per partition), so they do not wait for each other and one run's
   * validation overlaps another's database statement and send. One partition's runs are still applied one after
   * the other, in order.
   */
  readonly combinedRunsAtOnce?: number;
  /** The most messages handed to `handleBatch` at once (default 500). */
  readonly maxBatchSize?: number;
  /**
   * How long the broker may hold a fetch open when there is nothing new (default 1000 ms). `stop()` waits for the
   * fetch in flight, so this bounds how long a graceful shutdown takes per consumer (kafkajs's default is 5 s).
   */
  readonly maxWaitTimeMs?: number;
  /**
   * How many bytes the broker gathers before answering a fetch, waiting at most `maxWaitTimeMs` for them (default
   * 1, kafkajs's: every fetch answers as soon as one record is there). More lets a busy stage take bigger batches,
   * so fewer inserts, sends and commits per record, for at most `maxWaitTimeMs` of delay when it is quiet.
   */
  readonly minBytes?: number;
  /**
   * With `minBytes` above 1: after a fetch that found nothing, the next asks the broker for any data (minBytes 1) and
   * lets it wait up to this long (default 1000 ms), until a fetch finds records again. A quiet stage then polls once a
   * second instead of every `maxWaitTimeMs`, and the first record after a quiet spell is answered at once rather
   * than after `maxWaitTimeMs` (kafkajs, patched: `idleMaxWaitTimeInMs`). `stop()` may wait this long for the fetch in
   * flight.
   */
  readonly idleMaxWaitTimeMs?: number;
  readonly retry?: ConsumerRetryOptions;
  readonly metrics?: PipelineMetrics;
  readonly hooks?: ConsumerHooks;
}

export interface RunningConsumer {
  /** Resolves once the consumer has joined its group and been given partitions. */
  readonly joined: Promise<void>;
  stop(): Promise<void>;
}

function consumed(batch: Batch, message: Batch['messages'][number]): ConsumedMessage {
  return {
    topic: batch.topic,
    partition: batch.partition,
    offset: message.offset,
    key: message.key?.toString('utf8') ?? null,
    value: message.value,
    headers: message.headers ?? {},
    timestamp: message.timestamp,
  };
}

/** A partition's run handed to the `RunCombiner`, with what its consumer callback knows about it. */
interface SubmittedRun {
  readonly run: readonly ConsumedMessage[];
  /** Whether the partition is still this consumer's (no rebalance or stop since it was fetched). */
  live(): boolean;
  /** Applies the run on its own, with retries and isolation, and commits its offsets; false: stop the batch. */
  alone(): Promise<boolean>;
}

/** What became of a submitted run: applied in a combined run (its offsets still to commit), or handled alone. */
type RunOutcome = 'combined' | 'alone' | 'stop';

/** A submitted run waiting for the combiner, and how to hand its caller the outcome. */
interface Waiting {
  readonly submitted: SubmittedRun;
  readonly settle: (outcome: RunOutcome | Promise<RunOutcome>) => void;
}

/**
 * Gathers the runs of different partitions that are ready in the same turn of the event loop and applies them as
 * one (`ConsumerOptions.combinePartitions`). It applies `runsAtOnce` groups at a time (by default one): a combined
 * run, a run that came alone (its own path, with retries), and, when a combined run failed, each of its runs on
 * its own path in turn. The cases stage keeps one at a time: two at once would share subjects and cases (one
 * subject's records from two agencies are on two partitions) and make one transaction wait for the other's locks.
 * A partition hands its next run only once its last is settled, so its runs are applied in order whatever the
 * number at once.
 */
class RunCombiner {
  private waiting: Waiting[] = [];
  private scheduled = false;
  private inFlight = 0;

  constructor(
    private readonly apply: (run: readonly ConsumedMessage[]) => Promise<void>,
    private readonly maxMessages: number,
    private readonly runsAtOnce: number,
    private readonly onApplied: (size: number) => void,
    private readonly log: Logger,
  ) {}

  submit(submitted: SubmittedRun): Promise<RunOutcome> {
    return new Promise((settle) => {
      this.waiting.push({ submitted, settle });
      this.schedule();
    });
  }

  /** After the current turn's callbacks (every partition of a fetch has handed its run by then). */
  private schedule(): void {
    if (this.scheduled || this.inFlight >= this.runsAtOnce) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.startWaiting();
    });
  }

  /** Starts the waiting runs, grouped, while fewer than `runsAtOnce` groups are being applied. */
  private startWaiting(): void {
    while (this.waiting.length > 0 && this.inFlight < this.runsAtOnce) {
      const group = this.nextGroup();
      if (group.length === 0) continue;
      this.inFlight += 1;
      this.applyGroup(group)
        .catch((err: unknown) => this.log.error({ err }, 'run combiner failed'))
        .finally(() => {
          this.inFlight -= 1;
          if (this.waiting.length > 0) this.schedule();
        });
    }
  }

  /**
   * The first waiting run and those behind it that fit with it in `maxMessages`; none when the first's partition
   * was taken away since its fetch (its new owner fetches it again).
   */
  private nextGroup(): Waiting[] {
    const first = this.waiting.shift()!;
    if (!first.submitted.live()) {
      first.settle('stop');
      return [];
    }
    const group = [first];
    let size = first.submitted.run.length;
    while (
      this.waiting.length > 0 &&
      this.waiting[0]!.submitted.live() &&
      size + this.waiting[0]!.submitted.run.length <= this.maxMessages
    ) {
      size += this.waiting[0]!.submitted.run.length;
      group.push(this.waiting.shift()!);
    }
    return group;
  }

  /** Runs `alone` of each, in turn, handing each its outcome (or its error); waits for each to finish. */
  private async eachAlone(group: readonly Waiting[]): Promise<void> {
    for (const { submitted, settle } of group) {
      const outcome = submitted.live()
        ? submitted.alone().then((goOn): RunOutcome => (goOn ? 'alone' : 'stop'))
        : Promise.resolve<RunOutcome>('stop');
      settle(outcome);
      await outcome.catch(() => undefined);
    }
  }

  private async applyGroup(group: readonly Waiting[]): Promise<void> {
    if (group.length === 1) {
      await this.eachAlone(group);
      return;
    }
    const combined = group.flatMap((g) => g.submitted.run);
    try {
      await this.apply(combined);
    } catch (err) {
      this.log.warn(
        { err, runs: group.length, size: combined.length },
        'combined run failed; applying each partition on its own',
      );
      await this.eachAlone(group);
      return;
    }
    try {
      this.onApplied(combined.length);
    } finally {
      for (const g of group) g.settle('combined');
    }
  }
}

/**
 * At-least-once batch consumption. Each fetched batch of a partition is handled in runs (`handleBatch`, or
 * `handle` record by record); a run's offsets are resolved and committed only after its effects were applied, so
 * a crash at any point redelivers, and handlers are idempotent. Faults that can clear are retried with exponential
 * backoff and jitter (then the consumer restarts and fetches again); a record that can never succeed goes to
 * `deadLetter` and the records behind it carry on in order.
 */
export async function startConsumer(options: ConsumerOptions): Promise<RunningConsumer> {
  const log = options.logger.child({ component: 'consumer', groupId: options.groupId });
  const metrics = options.metrics ? consumerMetrics(options.metrics, options.groupId) : null;
  if (!options.handle && !options.handleBatch) throw new Error('startConsumer: give handle or handleBatch');
  const consumer: Consumer = options.kafka.consumer({
    groupId: options.groupId,
    retry: { ...kafkaRetry.consumer, restartOnFailure: async () => true },
    sessionTimeout: 30_000,
    heartbeatInterval: 3_000,
    maxWaitTimeInMs: options.maxWaitTimeMs ?? 1_000,
    ...(options.minBytes !== undefined && { minBytes: options.minBytes }),
    ...(options.minBytes !== undefined &&
      options.minBytes > 1 && { idleMaxWaitTimeInMs: options.idleMaxWaitTimeMs ?? 1_000 }),
  });
  let resolveJoined: () => void = () => undefined;
  const joined = new Promise<void>((resolve) => (resolveJoined = resolve));
  consumer.on(consumer.events.GROUP_JOIN, (e) => {
    log.info({ assignment: e.payload.memberAssignment }, 'joined group');
    resolveJoined();
  });
  let stopping = false;
  let restartTimer: NodeJS.Timeout | undefined;
  let restarts = 0;
  // kafkajs restarts a crashed consumer itself only after an error it deems retriable; after any other (a
  // TypeError from a handler, a broker error marked not retriable) it stops for good without asking
  // restartOnFailure, and the service would look healthy with nothing consuming. Start it again, after a pause that
  // grows with each such crash (up to 30 s), from its committed offsets.
  const restartLater = () => {
    if (stopping) return;
    const delay = Math.min(30_000, 1_000 * 2 ** Math.min(restarts++, 5));
    restartTimer = setTimeout(() => {
      restartTimer = undefined;
      begin().catch((err: unknown) => {
        log.error({ err }, 'consumer could not start again; will retry');
        restartLater();
      });
    }, delay);
  };
  consumer.on(consumer.events.COMMIT_OFFSETS, () => metrics?.offsetCommits.inc());
  consumer.on(consumer.events.CRASH, (e) => {
    log.error({ err: e.payload.error, restart: e.payload.restart }, 'consumer crashed');
    if (!e.payload.restart) restartLater();
  });

  const retry = options.retry ?? {};
  const maxBatch = options.maxBatchSize ?? 500;
  const applyRun = async (run: readonly ConsumedMessage[]): Promise<void> => {
    if (options.handleBatch) await options.handleBatch(run);
    else for (const m of run) await options.handle!(m);
  };
  const combiner =
    options.handleBatch && (options.combinePartitions ?? true)
      ? new RunCombiner(
          applyRun,
          maxBatch,
          options.combinedRunsAtOnce ?? 1,
          (size) => metrics?.batchSize.observe(size),
          log,
        )
      : null;

  const runConfig: Parameters<Consumer['run']>[0] = {
    partitionsConsumedConcurrently: options.partitionsConsumedConcurrently ?? 6,
    eachBatchAutoResolve: false,
    eachBatch: async ({ batch, resolveOffset, heartbeat, commitOffsetsIfNecessary, isRunning, isStale }) => {
      const at = { topic: batch.topic, partition: batch.partition };
      const live = () => isRunning() && !isStale();
      /** Tries `work` until it succeeds or fails permanently; faults that can clear are retried with backoff. */
      const withRetries = <T>(what: string, work: () => Promise<T>): Promise<T> =>
        pRetry(work, {
          retries: retry.retries ?? 6,
          minTimeout: retry.minTimeoutMs ?? 200,
          maxTimeout: retry.maxTimeoutMs ?? 10_000,
          factor: 2,
          randomize: true,
          onFailedAttempt: async (error) => {
            if (permanentFailure(error) || !live()) throw error;
            metrics?.retries.inc();
            log.warn(
              { err: error, ...at, attempt: error.attemptNumber, left: error.retriesLeft },
              `${what} failed; will retry`,
            );
            await heartbeat();
          },
        });
      const done = async (run: readonly ConsumedMessage[]) => {
        await options.hooks?.afterApply?.(run);
        resolveOffset(run[run.length - 1]!.offset);
        await commitOffsetsIfNecessary();
        await heartbeat();
        metrics?.records.inc(run.length);
      };
      /** One record on its own; a permanent failure is dead-lettered (or stops the partition without a hook). */
      const applyOne = async (message: ConsumedMessage) => {
        try {
          await withRetries('record', () => applyRun([message]));
        } catch (err) {
          const permanent = permanentFailure(err);
          if (!permanent || !options.deadLetter) {
            log.error({ err, ...at, offset: message.offset }, 'record failed');
            throw err;
          }
          if (permanent === err) {
            log.warn(
              { ...at, offset: message.offset, code: permanent.code, reason: permanent.message },
              'dead-lettered',
            );
          } else {
            // The database refused it: an operator wants the table, constraint and SQLSTATE (the logger keeps
            // those and drops the row's values).
            log.error(
              { err, ...at, offset: message.offset, code: permanent.code },
              'database refused a record; dead-lettered',
            );
          }
          await withRetries('dead-letter', () => options.deadLetter!(message, permanent));
          metrics?.deadLettered.inc({ code: permanent.code });
        }
      };

      /** One run on its own, with retries and isolation, its offsets committed; false when the batch must stop. */
      const alone = async (run: readonly ConsumedMessage[]): Promise<boolean> => {
        metrics?.batchSize.observe(run.length);
        if (run.length === 1 || !options.handleBatch) {
          for (const m of run) {
            if (!live()) return false;
            await applyOne(m);
            await done([m]);
          }
          return true;
        }
        try {
          await withRetries('batch', () => applyRun(run));
        } catch (err) {
          if (!permanentFailure(err) || !live()) throw err;
          // One record of the run can never succeed: apply them one by one to find it.
          log.warn({ ...at, from: run[0]!.offset, size: run.length }, 'batch failed; isolating its records');
          for (const m of run) {
            if (!live()) return false;
            await applyOne(m);
            await done([m]);
          }
          return true;
        }
        await done(run);
        return true;
      };

      const messages = batch.messages.map((m) => consumed(batch, m));
      for (let i = 0; i < messages.length && live(); i += maxBatch) {
        const run = messages.slice(i, i + maxBatch);
        if (!combiner) {
          if (!(await alone(run))) return;
          continue;
        }
        const outcome = await combiner.submit({ run, live, alone: () => alone(run) });
        if (outcome === 'stop') return;
        if (outcome === 'combined') await done(run);
      }
      if (live()) metrics?.lag(batch.topic, batch.partition, Number(batch.offsetLag()));
    },
  };
  const begin = async () => {
    await consumer.connect();
    await consumer.subscribe({ topics: [...options.topics], fromBeginning: options.fromBeginning ?? true });
    await consumer.run(runConfig);
  };
  await begin();
  return {
    joined,
    async stop() {
      stopping = true;
      if (restartTimer) clearTimeout(restartTimer);
      await consumer.disconnect();
    },
  };
}

export function headerString(headers: IHeaders, name: string): string | undefined {
  const v = headers[name];
  const first = Array.isArray(v) ? v[0] : v;
  return first === undefined ? undefined : first.toString();
}
