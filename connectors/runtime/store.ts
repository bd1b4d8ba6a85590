import type { DataSource } from 'typeorm';
import type { AgencyFamily, CloudEvent } from '@mash/schema';
import type { RejectionCode } from './errors';

/** Where a record was read from. */
export interface RecordPosition {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
}

export interface RawEventRow extends RecordPosition {
  /** The status change id: deterministic from source and event id. */
  readonly id: string;
  readonly family: AgencyFamily;
  readonly event: CloudEvent;
  readonly receivedAt: string;
}

export type StoreResult =
  | { readonly stored: true }
  /** Source and id were stored before (by this record, redelivered, or by an earlier one: a duplicate). */
  | { readonly stored: false; readonly original: RecordPosition & { readonly receivedAt: string } };

export interface RejectionRow extends RecordPosition {
  readonly family: AgencyFamily;
  readonly code: RejectionCode;
  readonly reason: string;
  readonly source: string | null;
  readonly type: string | null;
  readonly receivedAt: string;
}

/** Persistence of the connector (schema `ingest`). Every write is idempotent, so redelivery is harmless. */
export interface IngestStore {
  storeRawEvent(row: RawEventRow): Promise<StoreResult>;
  recordDuplicate(
    rawEventId: string,
    family: AgencyFamily,
    at: RecordPosition,
    receivedAt: string,
  ): Promise<void>;
  recordRejection(row: RejectionRow): Promise<void>;
}

export class PostgresIngestStore implements IngestStore {
  constructor(private readonly dataSource: DataSource) {}

  async storeRawEvent(row: RawEventRow): Promise<StoreResult> {
    const inserted = (await this.dataSource.query(
      `INSERT INTO "ingest"."raw_event"
         ("id", "source", "event_id", "type", "family", "topic", "partition", "offset", "payload", "received_at")
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
       ON CONFLICT ("source", "event_id") DO NOTHING
       RETURNING "id"`,
      [
        row.id,
        row.event.source,
        row.event.id,
        row.event.type,
        row.family,
        row.topic,
        row.partition,
        row.offset,
        JSON.stringify(row.event),
        row.receivedAt,
      ],
    )) as { id: string }[];
    if (inserted.length > 0) return { stored: true };
    const [original] = (await this.dataSource.query(
      `SELECT "topic", "partition", "offset"::text AS "offset", "received_at" AS "receivedAt"
         FROM "ingest"."raw_event" WHERE "source" = $1 AND "event_id" = $2`,
      [row.event.source, row.event.id],
    )) as { topic: string; partition: number; offset: string; receivedAt: Date }[];
    if (!original) throw new Error(`raw event ${row.id} conflicted but is not stored`);
    return { stored: false, original: { ...original, receivedAt: original.receivedAt.toISOString() } };
  }

  async recordDuplicate(
    rawEventId: string,
    family: AgencyFamily,
    at: RecordPosition,
    receivedAt: string,
  ): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO "ingest"."duplicate_event" ("topic", "partition", "offset", "raw_event_id", "family", "received_at")
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT DO NOTHING`,
      [at.topic, at.partition, at.offset, rawEventId, family, receivedAt],
    );
  }

  async recordRejection(row: RejectionRow): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO "ingest"."rejected_event"
         ("topic", "partition", "offset", "family", "code", "reason", "source", "type", "received_at")
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT DO NOTHING`,
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
      ],
    );
  }
}
