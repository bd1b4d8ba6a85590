import type { DataSource, EntityManager } from 'typeorm';
import { PollingLoop, type Logger } from '@mash/service-kit';
import type { EventProducer } from './producer';

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

/** Adds messages to the outbox inside the caller's transaction. */
export async function enqueueOutbox(
  manager: EntityManager,
  schema: string,
  messages: readonly OutboxMessage[],
): Promise<void> {
  for (const m of messages) {
    await manager.query(
      `INSERT INTO "${schema}"."outbox" ("topic", "key", "value", "headers") VALUES ($1, $2, $3, $4)`,
      [m.topic, m.key, JSON.stringify(m.value), JSON.stringify(m.headers ?? {})],
    );
  }
}

interface OutboxRow {
  id: string;
  topic: string;
  key: string;
  value: object;
  headers: Record<string, string>;
}

export interface OutboxRelayOptions {
  readonly dataSource: DataSource;
  readonly schema: string;
  readonly producer: EventProducer;
  readonly logger: Logger;
  readonly pollIntervalMs?: number;
  readonly batchSize?: number;
}

/**
 * Publishes outbox rows in id order. One relay at a time per schema holds a transaction-scoped advisory lock, so
 * several instances keep order; a row is deleted only after the broker acknowledged it (at least once).
 */
export class OutboxRelay {
  private readonly loop: PollingLoop;

  constructor(private readonly options: OutboxRelayOptions) {
    this.loop = new PollingLoop({
      run: async () => (await this.drainOnce()) > 0,
      intervalMs: options.pollIntervalMs ?? 250,
      logger: options.logger.child({ component: 'outbox', schema: options.schema }),
      failureMessage: 'outbox relay failed; will retry',
    });
  }

  start(): void {
    this.loop.start();
  }

  /** Ask for a prompt run (after a commit that enqueued something). */
  wake(): void {
    this.loop.wake();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  /** Publishes what is waiting now; returns how many were published. */
  async drainOnce(): Promise<number> {
    const { dataSource, schema, producer } = this.options;
    const limit = this.options.batchSize ?? 500;
    return dataSource.transaction(async (manager) => {
      const [lock] = (await manager.query('SELECT pg_try_advisory_xact_lock(hashtext($1)) AS "locked"', [
        `mash-outbox:${schema}`,
      ])) as { locked: boolean }[];
      if (!lock?.locked) return 0;
      const rows = (await manager.query(
        `SELECT "id", "topic", "key", "value", "headers" FROM "${schema}"."outbox" ORDER BY "id" LIMIT $1`,
        [limit],
      )) as OutboxRow[];
      if (rows.length === 0) return 0;
      // Keep order: send consecutive runs of the same topic as one batch.
      let run: OutboxRow[] = [];
      const flush = async () => {
        if (run.length === 0) return;
        await producer.send(
          run[0]!.topic,
          run.map((r) => ({ key: r.key, value: r.value, headers: r.headers })),
        );
        run = [];
      };
      for (const row of rows) {
        if (run.length > 0 && run[0]!.topic !== row.topic) await flush();
        run.push(row);
      }
      await flush();
      await manager.query(`DELETE FROM "${schema}"."outbox" WHERE "id" = ANY($1::bigint[])`, [
        rows.map((r) => r.id),
      ]);
      return rows.length;
    });
  }
}
