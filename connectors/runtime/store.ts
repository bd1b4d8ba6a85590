import type { DataSource } from 'typeorm';
import { stageRows, type StagingTable } from '@mash/service-kit';
import type { AgencyFamily, CloudEvent } from '@mash/schema';
import type { RejectionCode } from './errors';
import type { DataIssue } from './family';
import { SOURCE_SYSTEM_OF_TOPIC_SQL } from './migrations';

/** Where a record was read from. */
export interface RecordPosition {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
}

export interface RawEventRow extends RecordPosition {
  /**
   * The raw event's key and its status change's id: `statusChangeId(event.source, event.id)`, never anything else.
   * The table's only key: a replay (the same source and id) is recognised by it.
   */
  readonly id: string;
  readonly family: AgencyFamily;
  readonly event: CloudEvent;
  /** The event's JSON as received (stored as is, instead of serialising `event` again); `event` when absent. */
  readonly json?: string;
  readonly receivedAt: string;
}

/** The first stored version of an event: where and when it was read, and its payload as stored. */
export interface StoredRawEvent extends RecordPosition {
  readonly receivedAt: string;
  readonly event: CloudEvent;
}

export type StoreResult =
  | { readonly stored: true }
  /** Source and id were stored before (by this record, redelivered, or by an earlier one: a duplicate). */
  | { readonly stored: false; readonly original: StoredRawEvent };

export interface DuplicateRow extends RecordPosition {
  /** The id of the stored raw event this record repeats. */
  readonly rawEventId: string;
  readonly family: AgencyFamily;
  readonly receivedAt: string;
  /** The record's payload is not the stored one (the stored one is what is republished). */
  readonly payloadDiffers: boolean;
}

export interface RejectionRow extends RecordPosition {
  readonly family: AgencyFamily;
  /** The source system whose topic the record came from (its code), whatever the record itself says. */
  readonly sourceSystem: string;
  readonly code: RejectionCode;
  readonly reason: string;
  /** Which fields broke which rules; never a value. */
  readonly issues: readonly Pick<DataIssue, 'field' | 'rule'>[];
  readonly source: string | null;
  /** The event's type when it is a published type; null otherwise (a sender's unknown type is not kept). */
  readonly type: string | null;
  readonly receivedAt: string;
}

/**
 * Counts the rows a data-modifying CTE named `rows` (columns `topic`, `partition`, `type`, `received_at`) inserted,
 * in `ingest.event_count`, in the same statement. The rows are counted per topic, partition and type first, so the
 * source system is read off each topic name once per batch rather than once per row (about 20% of a 1,200-row
 * insert's time; `OFFSET 0` keeps the planner from pushing the test on it down into the grouping, where it ran on
 * every row again: a sixth of a 1,500-row insert's time); then per source system, so two topics naming the same
 * system cannot make the upsert touch a row twice. Each partition has its own counts, so runs of different
 * partitions applied at once never wait on each other's row locks; rows are upserted in key order, so two runs
 * counting the same partition's types (two instances during a rebalance) take their row locks in the same order.
 */
function countRowsSql(outcome: 'accepted' | 'duplicate' | 'rejected', code = `''`): string {
  return `INSERT INTO "ingest"."event_count" AS c
        ("source_system", "type", "outcome", "code", "partition", "count", "last_at")
      SELECT ${SOURCE_SYSTEM_OF_TOPIC_SQL}, "type", '${outcome}', "code", "partition", sum("n")::bigint,
             max("last_at")
        FROM (SELECT "topic", "partition", "type", ${code} AS "code", count(*) AS "n", max("received_at") AS "last_at"
                FROM "rows" GROUP BY 1, 2, 3, 4 OFFSET 0) AS "per_topic"
       WHERE ${SOURCE_SYSTEM_OF_TOPIC_SQL} IS NOT NULL
       GROUP BY 1, 2, 4, 5 ORDER BY 1, 2, 4, 5
      ON CONFLICT ("source_system", "type", "outcome", "code", "partition")
      DO UPDATE SET "count" = c."count" + EXCLUDED."count", "last_at" = GREATEST(c."last_at", EXCLUDED."last_at")`;
}

/** Persistence of the connector (schema `ingest`). Every write is idempotent, so redelivery is harmless. */
export interface IngestStore {
  storeRawEvent(row: RawEventRow): Promise<StoreResult>;
  /** Stores many at once (one statement), answering in the rows' order; without it rows are stored one by one. */
  storeRawEvents?(rows: readonly RawEventRow[]): Promise<StoreResult[]>;
  recordDuplicate(row: DuplicateRow): Promise<void>;
  recordRejection(row: RejectionRow): Promise<void>;
}

/**
 * Where `storeRawEvents` stages a run's events for its insert (a temporary table of the session): their order in
 * the run, the raw event's id, where the record was read, when, and the event's JSON as received.
 */
const RAW_EVENT_STAGE: StagingTable = {
  name: 'raw_event_in',
  columns: [
    { name: 'n', type: 'int4' },
    { name: 'id', type: 'text' },
    { name: 'family', type: 'text' },
    { name: 'topic', type: 'text' },
    { name: 'partition', type: 'int4' },
    { name: 'offset', type: 'text' },
    { name: 'received_at', type: 'text' },
    { name: 'payload', type: 'jsonb' },
  ],
};

export class PostgresIngestStore implements IngestStore {
  constructor(private readonly dataSource: DataSource) {}

  async storeRawEvent(row: RawEventRow): Promise<StoreResult> {
    const inserted = (await this.dataSource.query(
      `WITH "rows" AS (
         INSERT INTO "ingest"."raw_event"
           ("id", "source", "event_id", "type", "family", "topic", "partition", "offset", "payload", "received_at")
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
         ON CONFLICT ("id") DO NOTHING
         RETURNING "id", "topic", "partition", "type", "received_at"
       ), "counted" AS (${countRowsSql('accepted')})
       SELECT "id" FROM "rows"`,
      [
        row.id,
        row.event.source,
        row.event.id,
        row.event.type,
        row.family,
        row.topic,
        row.partition,
        row.offset,
        row.json ?? JSON.stringify(row.event),
        row.receivedAt,
      ],
    )) as { id: string }[];
    if (inserted.length > 0) return { stored: true };
    const [original] = (await this.dataSource.query(
      `SELECT "topic", "partition", "offset"::text AS "offset", "received_at" AS "receivedAt", "payload"
         FROM "ingest"."raw_event" WHERE "id" = $1`,
      [row.id],
    )) as { topic: string; partition: number; offset: string; receivedAt: Date; payload: CloudEvent }[];
    if (!original) throw new Error(`raw event ${row.id} conflicted but is not stored`);
    const { payload, receivedAt, ...position } = original;
    return { stored: false, original: { ...position, receivedAt: receivedAt.toISOString(), event: payload } };
  }

  async storeRawEvents(rows: readonly RawEventRow[]): Promise<StoreResult[]> {
    if (rows.length === 0) return [];
    // The rows are staged with one binary COPY (each event's own JSON as received: no event is serialised again),
    // then inserted with one statement; the source, id and type are read back from the payload, which is the event.
    // A row whose id (named by its source and id) is stored already, or earlier in this run, is skipped. What comes
    // back is the positions of the rows not stored (none, as a rule), not of the ones stored: a run of 2,000 events
    // reads no rows back. The id and time go as text, for Postgres to read as it read them before.
    const notStored = await this.dataSource.transaction(async (manager) => {
      await stageRows(
        manager,
        RAW_EVENT_STAGE,
        rows.map((r, n) => [
          n,
          r.id,
          r.family,
          r.topic,
          r.partition,
          r.offset,
          r.receivedAt,
          r.json ?? JSON.stringify(r.event),
        ]),
      );
      return (await manager.query(
        `WITH "rows" AS (
           INSERT INTO "ingest"."raw_event"
             ("id", "source", "event_id", "type", "family", "topic", "partition", "offset", "payload", "received_at")
           SELECT r."id"::uuid, r."payload"->>'source', r."payload"->>'id', r."payload"->>'type', r."family",
                  r."topic", r."partition", r."offset"::bigint, r."payload", r."received_at"::timestamptz
             FROM pg_temp."${RAW_EVENT_STAGE.name}" r
            ORDER BY r."n"
           ON CONFLICT ("id") DO NOTHING
           RETURNING "topic", "partition", "offset", "type", "received_at"
         ), "counted" AS (${countRowsSql('accepted')})
         SELECT i."topic", i."partition", i."offset"::bigint::text AS "offset" FROM pg_temp."${RAW_EVENT_STAGE.name}" i
          WHERE NOT EXISTS (SELECT 1 FROM "rows" w
                             WHERE w."topic" = i."topic" AND w."partition" = i."partition"
                               AND w."offset" = i."offset"::bigint)`,
      )) as RecordPosition[];
    });
    const position = (p: RecordPosition) => `${p.topic}|${p.partition}|${p.offset}`;
    const notStoredHere = new Set(notStored.map(position));
    const others = rows.filter((r) => notStoredHere.has(position(r)));
    const originals = new Map<string, StoredRawEvent>();
    if (others.length > 0) {
      const found = (await this.dataSource.query(
        `SELECT "id", "topic", "partition", "offset"::text AS "offset", "received_at" AS "receivedAt", "payload"
           FROM "ingest"."raw_event" WHERE "id" = ANY($1::uuid[])`,
        [[...new Set(others.map((r) => r.id))]],
      )) as (RecordPosition & { id: string; receivedAt: Date; payload: CloudEvent })[];
      for (const { id, payload, receivedAt, ...at } of found) {
        originals.set(id, {
          ...at,
          receivedAt: receivedAt.toISOString(),
          event: payload,
        });
      }
    }
    return rows.map((r): StoreResult => {
      if (!notStoredHere.has(position(r))) return { stored: true };
      const original = originals.get(r.id);
      if (!original) throw new Error(`raw event ${r.id} conflicted but is not stored`);
      return { stored: false, original };
    });
  }

  async recordDuplicate(row: DuplicateRow): Promise<void> {
    await this.dataSource.query(
      `WITH "inserted" AS (
         INSERT INTO "ingest"."duplicate_event"
           ("topic", "partition", "offset", "raw_event_id", "family", "received_at", "payload_differs")
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT DO NOTHING
         RETURNING "topic", "partition", "raw_event_id", "received_at"
       ), "rows" AS (
         SELECT i."topic", i."partition", r."type", i."received_at"
           FROM "inserted" i JOIN "ingest"."raw_event" r ON r."id" = i."raw_event_id"
       ), "counted" AS (${countRowsSql('duplicate')})
       SELECT 1`,
      [row.topic, row.partition, row.offset, row.rawEventId, row.family, row.receivedAt, row.payloadDiffers],
    );
  }

  async recordRejection(row: RejectionRow): Promise<void> {
    await this.dataSource.query(
      `WITH "inserted" AS (
         INSERT INTO "ingest"."rejected_event"
           ("topic", "partition", "offset", "family", "code", "reason", "source", "type", "received_at",
            "source_system", "issues")
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
         ON CONFLICT DO NOTHING
         RETURNING "topic", "partition", "type", "code", "received_at"
       ), "rows" AS (
         SELECT "topic", "partition", coalesce("type", '') AS "type", "code", "received_at" FROM "inserted"
       ),
       "counted" AS (${countRowsSql('rejected', '"code"')})
       SELECT 1`,
      [
        row.topic,
        row.partition,
        row.offset,
        row.family,
        row.code,
        row.reason,
        row.source,
        row.type,
        row.receivedAt,
        row.sourceSystem,
        JSON.stringify(row.issues.map(({ field, rule }) => ({ field, rule }))),
      ],
    );
  }
}
