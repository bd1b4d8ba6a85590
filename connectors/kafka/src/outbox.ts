import type { DataSource, EntityManager, MigrationInterface, QueryRunner } from 'typeorm';
import { PollingLoop, type Logger } from '@mash/service-kit';
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

/** The most messages one outbox insert takes (four parameters each, well inside Postgres's 65,535). */
const OUTBOX_INSERT_ROWS = 4000;

/** Adds messages to the outbox inside the caller's transaction, with one multi-row insert (per 4,000). */
export async function enqueueOutbox(
  manager: EntityManager,
  schema: string,
  messages: readonly OutboxMessage[],
): Promise<void> {
  // A VALUES list with each message's value as a parameter of its own: Postgres reads each value once, checking it
  // as it stores it (`json`: kept as written). One JSON document of them all (`json_to_recordset`) was read three
  // times (checked as a parameter, taken apart into rows, checked again as each value was stored): on 1,000 case
  // events of 2.7 KB the insert took 55 ms that way and 42 ms this way. (A text[] of documents would be escaped by
  // the driver element by element and parsed by Postgres as an array literal: slower still.) Rows are inserted in
  // the list's order, so their ids keep the messages' order.
  for (let start = 0; start < messages.length; start += OUTBOX_INSERT_ROWS) {
    const chunk = messages.slice(start, start + OUTBOX_INSERT_ROWS);
    const rows: string[] = [];
    const params: string[] = [];
    for (const m of chunk) {
      const i = params.length;
      rows.push(`($${i + 1}, $${i + 2}, $${i + 3}::json, $${i + 4}::jsonb)`);
      params.push(m.topic, m.key, JSON.stringify(m.value), JSON.stringify(m.headers ?? {}));
    }
    await manager.query(
      `INSERT INTO "${schema}"."outbox" ("topic", "key", "value", "headers") VALUES ${rows.join(', ')}`,
      params,
    );
  }
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
    return rows.length;
  }

  /** Deletes rows the broker acknowledged. */
  private async delete(rows: readonly OutboxRow[]): Promise<void> {
    const { dataSource, schema } = this.options;
    await dataSource.query(`DELETE FROM "${schema}"."outbox" WHERE "id" = ANY($1::bigint[])`, [
      rows.map((r) => r.id),
    ]);
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
