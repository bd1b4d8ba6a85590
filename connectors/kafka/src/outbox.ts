import type { DataSource, EntityManager, MigrationInterface, QueryRunner } from 'typeorm';
import { copyRowsIn, PollingLoop, type CopyBinaryType, type Logger } from '@mash/service-kit';
import type { PipelineMetrics } from './metrics';
import { producerStateLost, type EventProducer } from './producer';

/**
 * Transactional outbox: a service writes the events it means to publish into its own `<schema>.outbox` table in
 * the same transaction as the state change, and the relay publishes them afterwards. Nothing is published for a
 * transaction that rolled back, and nothing committed is lost if the process dies before publishing.
 */
export function outboxTableSql(schema: string): string {
  return `CREATE TABLE IF NOT EXISTS "${schema}"."outbox" (
    "id" bigserial PRIMARY KEY,
    "topic" text NOT NULL,
    "key" text NOT NULL,
    "value" jsonb NOT NULL,
    "headers" jsonb NOT NULL DEFAULT '{}'::jsonb,
    "created_at" timestamptz NOT NULL DEFAULT now()
  )`;
}

export interface OutboxMessage {
  readonly topic: string;
  readonly key: string;
  readonly value: object;
  readonly headers?: Record<string, string>;
}

/**
 * Where the relay keeps a row the broker refused for good (too large, invalid): with the refusal, for an operator,
 * so that it does not block every later row.
 */
export function outboxDeadLetterTableSql(schema: string): string {
  return `CREATE TABLE IF NOT EXISTS "${schema}"."outbox_dead_letter" (
    "id" bigint PRIMARY KEY,
    "topic" text NOT NULL,
    "key" text NOT NULL,
    "value" jsonb NOT NULL,
    "headers" jsonb NOT NULL DEFAULT '{}'::jsonb,
    "created_at" timestamptz NOT NULL,
    "error" text NOT NULL,
    "dead_lettered_at" timestamptz NOT NULL DEFAULT now()
  )`;
}

/**
 * Makes the outbox's `value` (and its dead-letter table's) `json` instead of `jsonb`: the relay only passes the
 * document on, so Postgres keeps the text as written (checked, not taken apart into a binary tree and put back
 * together on the way out), and the relay sends that text as it comes back, without parsing it into objects and
 * serialising them again.
 */
export function outboxValueAsJsonSql(schema: string): string[] {
  return [
    `ALTER TABLE "${schema}"."outbox" ALTER COLUMN "value" TYPE json USING "value"::json`,
    `ALTER TABLE "${schema}"."outbox_dead_letter" ALTER COLUMN "value" TYPE json USING "value"::json`,
  ];
}

/** The reverse of `outboxValueAsJsonSql`. */
export function outboxValueAsJsonbSql(schema: string): string[] {
  return [
    `ALTER TABLE "${schema}"."outbox" ALTER COLUMN "value" TYPE jsonb USING "value"::jsonb`,
    `ALTER TABLE "${schema}"."outbox_dead_letter" ALTER COLUMN "value" TYPE jsonb USING "value"::jsonb`,
  ];
}

/**
 * Keeps outbox rows of up to a page (8160 bytes, `toast_tuple_target`) inline and uncompressed: a row lives for
 * the moment between its commit and the relay's send, so compressing a case event of a few kilobytes on insert (and
 * decompressing it for the relay) is work thrown away. Measured on 700 case events of 3.4 KB: the insert takes about
 * 30% less time (55 ms to 38 ms). A larger row is still compressed and moved out of line as before.
 */
export function outboxRowsUncompressedSql(schema: string): string[] {
  return [`ALTER TABLE "${schema}"."outbox" SET (toast_tuple_target = 8160)`];
}

/** The reverse of `outboxRowsUncompressedSql`. */
export function outboxRowsCompressedSql(schema: string): string[] {
  return [`ALTER TABLE "${schema}"."outbox" RESET (toast_tuple_target)`];
}

/**
 * A service's migration of its outbox tables, made from a change every service with an outbox makes alike
 * (`outboxValueAsJsonSql`, `outboxRowsUncompressedSql`) and its reverse: one class per service, named `name` (the
 * name TypeORM records it under), for the schema `schema`.
 */
export function outboxMigration(
  name: string,
  schema: string,
  up: (schema: string) => string[],
  down: (schema: string) => string[],
): new () => MigrationInterface {
  return class implements MigrationInterface {
    readonly name = name;

    async up(runner: QueryRunner): Promise<void> {
      for (const sql of up(schema)) await runner.query(sql);
    }

    async down(runner: QueryRunner): Promise<void> {
      for (const sql of down(schema)) await runner.query(sql);
    }
  };
}

/** The outbox's columns as `enqueueOutbox` copies them: the value kept as written (`json`), the headers as `jsonb`. */
const OUTBOX_COPY_TYPES: readonly CopyBinaryType[] = ['text', 'text', 'json', 'jsonb'];

/**
 * Writes the messages to the outbox in the caller's transaction, in their order (their ids keep it), with one
 * `COPY … FROM STDIN` in binary format: Postgres reads each value once as it stores it (`json`: checked and kept as
 * written) and adds the rows in bulk. The multi-row `VALUES` list of parameters used before made Postgres copy the
 * whole statement (every row's parameters, values and all) several times while planning it: in a profile of the
 * end-to-end benchmark, planning was an eighth of the database server's CPU. On 1,800 case events of 2.6 KB (median
 * of ten, local Postgres 15): Postgres's CPU 40 ms with `VALUES`, 30 ms with COPY's text format, 20 ms with its
 * binary format; Node's 35, 38 and 28 ms. Without a transaction (`manager` not bound to one), the rows are written
 * on a connection of their own.
 */
export async function enqueueOutbox(
  manager: EntityManager,
  schema: string,
  messages: readonly OutboxMessage[],
): Promise<void> {
  if (messages.length === 0) return;
  await copyRowsIn(
    manager,
    `"${schema}"."outbox" ("topic", "key", "value", "headers")`,
    OUTBOX_COPY_TYPES,
    messages.map((m) => [m.topic, m.key, JSON.stringify(m.value), JSON.stringify(m.headers ?? {})]),
  );
}

interface OutboxRow {
  id: string;
  topic: string;
  key: string;
  /** The message's JSON text, as enqueued. */
  value: string;
  headers: Record<string, string>;
  created_at: Date;
}

export interface OutboxRelayOptions {
  readonly dataSource: DataSource;
  readonly schema: string;
  readonly producer: EventProducer;
  readonly logger: Logger;
  readonly pollIntervalMs?: number;
  readonly batchSize?: number;
  /** The longest pause between tries while the broker or database is down (default 30 s). */
  readonly maxBackoffMs?: number;
  /** How long `stop()` lets a send in flight finish before giving it up (default 5 s). */
  readonly stopTimeoutMs?: number;
  /**
   * After how many relayed rows the relay vacuums the outbox (default 5,000; 0 never): see `vacuumIfDue`.
   */
  readonly vacuumEveryRows?: number;
  readonly metrics?: PipelineMetrics;
}

/**
 * The broker refused the records themselves (kafkajs marks such errors not retriable, and wraps them as they leave
 * its retrier); trying again cannot help. A producer that lost its idempotence state (OUT_OF_ORDER_SEQUENCE_NUMBER
 * after a broker restart, also marked not retriable) says nothing about the records: they are tried again.
 */
export function refusedByBroker(err: unknown): boolean {
  if (producerStateLost(err)) return false;
  const NOT_THE_RECORDS = [
    'UNKNOWN_TOPIC_OR_PARTITION',
    'TOPIC_AUTHORIZATION_FAILED',
    'CLUSTER_AUTHORIZATION_FAILED',
  ];
  let e = err as {
    retriable?: unknown;
    name?: unknown;
    type?: unknown;
    cause?: unknown;
    originalError?: unknown;
  };
  for (let depth = 0; e && depth < 5; depth++) {
    if (typeof e.name !== 'string' || !e.name.startsWith('KafkaJS') || e.retriable !== false) return false;
    if (typeof e.type === 'string') return !NOT_THE_RECORDS.includes(e.type);
    e = (e.cause ?? e.originalError) as typeof e;
  }
  return false;
}

/**
 * Publishes outbox rows in id order. Rows are read in a short transaction under a transaction-scoped advisory lock
 * (one reader per schema at a time) and sent with no transaction or lock held, so a broker outage blocks no
 * writer; a row is deleted only after the broker acknowledged it (at least once: two instances may both send a
 * row, and consumers are idempotent). A broker outage backs off exponentially with jitter; a row the broker
 * refuses is moved to `outbox_dead_letter` and the rows behind it carry on. `stop()` gives a send in flight
 * `stopTimeoutMs`, then leaves the rest for the next start.
 */
export class OutboxRelay {
  private readonly loop: PollingLoop;
  private readonly log: Logger;
  private stopTimer: NodeJS.Timeout | undefined;
  /** Rejects `stopTimeoutMs` after `stop()`: a send in flight is given up then (its rows stay for the next start). */
  private readonly stopped: Promise<never>;
  private giveUp: (err: Error) => void = () => undefined;
  /** The last read found the outbox empty and no writer has woken the relay since: polls probe first. */
  private quiet = false;
  /** Rows deleted since the relay last vacuumed the outbox. */
  private deletedSinceVacuum = 0;

  constructor(private readonly options: OutboxRelayOptions) {
    this.log = options.logger.child({ component: 'outbox', schema: options.schema });
    this.stopped = new Promise<never>((_resolve, reject) => (this.giveUp = reject));
    this.stopped.catch(() => undefined);
    this.loop = new PollingLoop({
      run: async () => (await this.drainOnce()) > 0,
      intervalMs: options.pollIntervalMs ?? 250,
      maxBackoffMs: options.maxBackoffMs ?? 30_000,
      logger: this.log,
      failureMessage: 'outbox relay failed; will retry',
      onFailure: () => options.metrics?.outboxFailures.inc({ schema: options.schema }),
    });
  }

  start(): void {
    this.loop.start();
  }

  /** Ask for a prompt run (after a commit that enqueued something). */
  wake(): void {
    this.quiet = false;
    this.loop.wake();
  }

  stop(): Promise<void> {
    const timeout = this.options.stopTimeoutMs ?? 5_000;
    if (!this.stopTimer) {
      this.stopTimer = setTimeout(
        () => this.giveUp(new Error(`the relay stopped before the broker answered (${timeout} ms)`)),
        timeout,
      );
      this.stopTimer.unref();
    }
    return this.loop.stop();
  }

  /** Publishes what is waiting now; returns how many were published (or dead-lettered). */
  async drainOnce(): Promise<number> {
    const { dataSource, schema } = this.options;
    const limit = this.options.batchSize ?? 500;
    // A quiet service's polls find nothing, four times a second for as long as it runs: once a read has found the
    // outbox empty and no writer has woken the relay since, a poll asks with one statement whether any row waits
    // (a row another instance wrote, or one whose wake was missed) instead of a transaction of four (begin, advisory
    // lock, read, commit). A busy relay never probes: it was woken, or its last read found rows.
    if (this.quiet) {
      // The first row by id, as the read below finds it: through the primary key (whose entries of deleted rows the
      // first scan past them marks dead) rather than a scan of the table's pages, deleted rows and all.
      const waiting = (await dataSource.query(
        `SELECT "id" FROM "${schema}"."outbox" ORDER BY "id" LIMIT 1`,
      )) as { id: string }[];
      if (waiting.length === 0) {
        this.options.metrics?.outboxDepth.set({ schema }, 0);
        return 0;
      }
    }
    const rows = await dataSource.transaction(async (manager) => {
      const [lock] = (await manager.query('SELECT pg_try_advisory_xact_lock(hashtext($1)) AS "locked"', [
        `mash-outbox:${schema}`,
      ])) as { locked: boolean }[];
      if (!lock?.locked) return [];
      return (await manager.query(
        `SELECT "id", "topic", "key", "value"::text AS "value", "headers", "created_at" FROM "${schema}"."outbox"
          ORDER BY "id" LIMIT $1`,
        [limit],
      )) as OutboxRow[];
    });
    this.options.metrics?.outboxDepth.set({ schema }, rows.length);
    // Nothing read: the outbox was empty, or another instance holds the lock and relays what waits.
    this.quiet = rows.length === 0;
    if (rows.length === 0) return 0;

    // Keep order: send consecutive runs of the same topic as one batch; delete each run once acknowledged.
    let run: OutboxRow[] = [];
    const flush = async () => {
      if (run.length === 0) return;
      const sent = run;
      run = [];
      try {
        await this.send(sent);
      } catch (err) {
        if (!refusedByBroker(err)) throw err;
        // One of the run was refused: send them one by one and set the refused ones aside.
        for (const row of sent) {
          try {
            await this.send([row]);
          } catch (one) {
            if (!refusedByBroker(one)) throw one;
            await this.deadLetter(row, one);
            continue;
          }
          await this.delete([row]);
        }
        return;
      }
      await this.delete(sent);
    };
    for (const row of rows) {
      if (run.length > 0 && run[0]!.topic !== row.topic) await flush();
      run.push(row);
    }
    await flush();
    await this.vacuumIfDue();
    return rows.length;
  }

  /**
   * Every `vacuumEveryRows` relayed rows, `VACUUM` the outbox, so that the writers' next rows go into the pages of
   * the rows relayed before them. Postgres records a page's free space for reuse only when it vacuums; autovacuum
   * visits a table at most once a minute (`autovacuum_naptime`), and until it does every outbox row goes into a new
   * page at the end of the table, which Postgres first writes out as zeros: in profiles of the end-to-end benchmark,
   * extending the outbox took 7% of the database server's CPU, 1% with this vacuum (which itself took 1%), and a
   * minute of a busy cases stage's case events is hundreds of megabytes of table. Vacuuming a few thousand rows'
   * pages, still in shared buffers, takes milliseconds. `TRUNCATE false`: giving the empty pages at the end back to
   * the file system takes a lock that stops the writers (in the one run with it, the end-to-end round took 7.4 s
   * against 5.5 s), and the writers would only extend the table again. A failure is logged and left to the next
   * time (autovacuum still comes).
   */
  private async vacuumIfDue(): Promise<void> {
    const every = this.options.vacuumEveryRows ?? 5_000;
    if (every <= 0 || this.deletedSinceVacuum < every) return;
    this.deletedSinceVacuum = 0;
    const { dataSource, schema } = this.options;
    try {
      await dataSource.query(`VACUUM (TRUNCATE false) "${schema}"."outbox"`);
    } catch (err) {
      this.log.warn({ err }, 'vacuuming the outbox failed; autovacuum will');
    }
  }

  /** Deletes rows the broker acknowledged. */
  private async delete(rows: readonly OutboxRow[]): Promise<void> {
    const { dataSource, schema } = this.options;
    await dataSource.query(`DELETE FROM "${schema}"."outbox" WHERE "id" = ANY($1::bigint[])`, [
      rows.map((r) => r.id),
    ]);
    this.deletedSinceVacuum += rows.length;
    this.options.metrics?.outboxPublished.inc({ schema }, rows.length);
  }

  private async send(rows: readonly OutboxRow[]): Promise<void> {
    const sending = this.options.producer.send(
      rows[0]!.topic,
      rows.map((r) => ({ key: r.key, value: r.value, headers: r.headers })),
    );
    sending.catch(() => undefined);
    await Promise.race([sending, this.stopped]);
  }

  private async deadLetter(row: OutboxRow, err: unknown): Promise<void> {
    const { dataSource, schema } = this.options;
    const error = (err as Error).message ?? String(err);
    this.log.error({ id: row.id, topic: row.topic, error }, 'the broker refused an outbox row; set aside');
    await dataSource.transaction(async (m) => {
      await m.query(
        `INSERT INTO "${schema}"."outbox_dead_letter" ("id", "topic", "key", "value", "headers", "created_at", "error")
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT ("id") DO NOTHING`,
        [row.id, row.topic, row.key, row.value, JSON.stringify(row.headers), row.created_at, error],
      );
      await m.query(`DELETE FROM "${schema}"."outbox" WHERE "id" = $1`, [row.id]);
    });
  }
}
