import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The Postgres schema the connector owns. */
export const INGEST_SCHEMA = 'ingest';

/**
 * `raw_event`: every accepted event as received (personal data: subject to the retention policy).
 * `duplicate_event`: replays of an accepted event (same source and id, another record), counted for health.
 * `rejected_event`: dead-lettered records, for connector health; the reason holds no personal data.
 */
export class CreateIngestTables1732233600000 implements MigrationInterface {
  readonly name = 'CreateIngestTables1732233600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "ingest"."raw_event" (
      "id" uuid PRIMARY KEY,
      "source" text NOT NULL,
      "event_id" text NOT NULL,
      "type" text NOT NULL,
      "family" text NOT NULL,
      "topic" text NOT NULL,
      "partition" integer NOT NULL,
      "offset" bigint NOT NULL,
      "payload" jsonb NOT NULL,
      "received_at" timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT "raw_event_source_event_id_key" UNIQUE ("source", "event_id")
    )`);
    await q.query(
      `CREATE INDEX "raw_event_family_received_at_idx" ON "ingest"."raw_event" ("family", "received_at")`,
    );
    await q.query(`CREATE TABLE "ingest"."duplicate_event" (
      "topic" text NOT NULL,
      "partition" integer NOT NULL,
      "offset" bigint NOT NULL,
      "raw_event_id" uuid NOT NULL REFERENCES "ingest"."raw_event" ("id") ON DELETE CASCADE,
      "family" text NOT NULL,
      "received_at" timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY ("topic", "partition", "offset")
    )`);
    await q.query(
      `CREATE INDEX "duplicate_event_family_received_at_idx" ON "ingest"."duplicate_event" ("family", "received_at")`,
    );
    await q.query(`CREATE TABLE "ingest"."rejected_event" (
      "topic" text NOT NULL,
      "partition" integer NOT NULL,
      "offset" bigint NOT NULL,
      "family" text NOT NULL,
      "code" text NOT NULL,
      "reason" text NOT NULL,
      "source" text,
      "type" text,
      "received_at" timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY ("topic", "partition", "offset")
    )`);
    await q.query(
      `CREATE INDEX "rejected_event_family_received_at_idx" ON "ingest"."rejected_event" ("family", "received_at")`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "ingest"."rejected_event"`);
    await q.query(`DROP TABLE "ingest"."duplicate_event"`);
    await q.query(`DROP TABLE "ingest"."raw_event"`);
  }
}

/**
 * `duplicate_event.payload_differs`: the replay carried another payload than the stored first version (which is
 * what the connector republishes). Counted for connector health; the payloads themselves stay in `raw_event` only.
 */
export class AddDuplicatePayloadDiffers1795400000000 implements MigrationInterface {
  readonly name = 'AddDuplicatePayloadDiffers1795400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE "ingest"."duplicate_event" ADD COLUMN "payload_differs" boolean NOT NULL DEFAULT false`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "ingest"."duplicate_event" DROP COLUMN "payload_differs"`);
  }
}

export const ingestMigrations = [CreateIngestTables1732233600000, AddDuplicatePayloadDiffers1795400000000];
