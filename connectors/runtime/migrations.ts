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

/** The source system code of an agency topic (`[prefix]mash.agency.<family>.<code>.v1`), in SQL. */
export const SOURCE_SYSTEM_OF_TOPIC_SQL = `substring("topic" from '\\.agency\\.[a-z-]+\\.([a-z0-9][a-z0-9-]*)\\.v1$')`;

/** A type name as published (`uk.mash.<family>.<what>.v<N>`); anything else a sender put in `type` is not shown. */
const TYPE_NAME_SQL = '^uk\\.mash\\.[a-z-]+\\.[a-z0-9]+(-[a-z0-9]+)*\\.v[1-9][0-9]*$';

/**
 * Connector health per source system and event type. `event_count`: how many events each source system sent of
 * each type, by outcome (`accepted`, `duplicate`, `rejected` with its code), and when the last came. It is kept in
 * the same statement as the row it counts, so a count never drifts from what was stored (a redelivered record
 * inserts nothing and counts nothing), and it outlives the retention purge of the rows themselves: it holds no
 * personal data (source system codes, published type names, registry codes). The source system is the one whose
 * topic the record came from (only that system's principal may write it), so even an unreadable record is counted
 * against it. `rejected_event.issues`: the fields and rules that broke (never a value), for the most recent reasons.
 */
export class AddSourceHealth1796100000000 implements MigrationInterface {
  readonly name = 'AddSourceHealth1796100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "ingest"."event_count" (
      "source_system" text NOT NULL,
      "type" text NOT NULL,
      "outcome" text NOT NULL CHECK ("outcome" IN ('accepted', 'duplicate', 'rejected')),
      "code" text NOT NULL DEFAULT '',
      "count" bigint NOT NULL,
      "last_at" timestamptz NOT NULL,
      PRIMARY KEY ("source_system", "type", "outcome", "code")
    )`);
    await q.query(`ALTER TABLE "ingest"."rejected_event"
      ADD COLUMN "source_system" text,
      ADD COLUMN "issues" jsonb NOT NULL DEFAULT '[]'`);
    await q.query(
      `UPDATE "ingest"."rejected_event" SET "source_system" = ${SOURCE_SYSTEM_OF_TOPIC_SQL} WHERE "source_system" IS NULL`,
    );
    await q.query(
      `CREATE INDEX "rejected_event_source_system_type_idx"
         ON "ingest"."rejected_event" ("source_system", (coalesce("type", '')), "received_at" DESC)`,
    );
    // What was stored before the table existed.
    await q.query(`INSERT INTO "ingest"."event_count" ("source_system", "type", "outcome", "code", "count", "last_at")
      SELECT ${SOURCE_SYSTEM_OF_TOPIC_SQL}, "type", 'accepted', '', count(*), max("received_at")
        FROM "ingest"."raw_event" WHERE ${SOURCE_SYSTEM_OF_TOPIC_SQL} IS NOT NULL GROUP BY 1, 2
      UNION ALL
      SELECT ${SOURCE_SYSTEM_OF_TOPIC_SQL.replace('"topic"', 'd."topic"')}, r."type", 'duplicate', '', count(*), max(d."received_at")
        FROM "ingest"."duplicate_event" d JOIN "ingest"."raw_event" r ON r."id" = d."raw_event_id"
       WHERE ${SOURCE_SYSTEM_OF_TOPIC_SQL.replace('"topic"', 'd."topic"')} IS NOT NULL GROUP BY 1, 2
      UNION ALL
      SELECT "source_system", CASE WHEN "type" ~ '${TYPE_NAME_SQL}' THEN "type" ELSE '' END, 'rejected', "code",
             count(*), max("received_at")
        FROM "ingest"."rejected_event" WHERE "source_system" IS NOT NULL GROUP BY 1, 2, 4`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "ingest"."rejected_event_source_system_type_idx"`);
    await q.query(`ALTER TABLE "ingest"."rejected_event" DROP COLUMN "issues", DROP COLUMN "source_system"`);
    await q.query(`DROP TABLE "ingest"."event_count"`);
  }
}

/**
 * `event_count` kept per Kafka partition as well (`partition`: the partition the counted records were read from),
 * so that the connector's runs of different partitions, applied at once, never wait on each other's row locks: one
 * partition's counts are only ever written by the run of that partition in flight. Readers add the partitions up.
 * Existing counts go to partition 0.
 */
export class CountEventsPerPartition1797200000000 implements MigrationInterface {
  readonly name = 'CountEventsPerPartition1797200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "ingest"."event_count" ADD COLUMN "partition" integer NOT NULL DEFAULT 0`);
    await q.query(`ALTER TABLE "ingest"."event_count" DROP CONSTRAINT "event_count_pkey"`);
    await q.query(
      `ALTER TABLE "ingest"."event_count" ADD PRIMARY KEY ("source_system", "type", "outcome", "code", "partition")`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TEMPORARY TABLE "event_count_total" ON COMMIT DROP AS
      SELECT "source_system", "type", "outcome", "code", sum("count")::bigint AS "count", max("last_at") AS "last_at"
        FROM "ingest"."event_count" GROUP BY 1, 2, 3, 4`);
    await q.query(`DELETE FROM "ingest"."event_count"`);
    await q.query(`ALTER TABLE "ingest"."event_count" DROP CONSTRAINT "event_count_pkey"`);
    await q.query(`ALTER TABLE "ingest"."event_count" DROP COLUMN "partition"`);
    await q.query(`INSERT INTO "ingest"."event_count" ("source_system", "type", "outcome", "code", "count", "last_at")
      SELECT * FROM "event_count_total"`);
    await q.query(
      `ALTER TABLE "ingest"."event_count" ADD PRIMARY KEY ("source_system", "type", "outcome", "code")`,
    );
  }
}

/**
 * `raw_event` keeps one key: its id, the name-based UUID of the event's source and id (`statusChangeId`, what every
 * stored row has had as its id from the first version), so the unique index on the source and id said again what the
 * primary key says. It was most of the table's index space (on 160,000 rows, 32 MB of indexes with it, 7.5 MB
 * without) and a second index entry written, at a random place, for every event stored: replays are now recognised
 * by the id. Undone, the constraint is built again (a table that kept ids by the rule satisfies it).
 */
export class KeyRawEventsById1798400000000 implements MigrationInterface {
  readonly name = 'KeyRawEventsById1798400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "ingest"."raw_event" DROP CONSTRAINT "raw_event_source_event_id_key"`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE "ingest"."raw_event" ADD CONSTRAINT "raw_event_source_event_id_key" UNIQUE ("source", "event_id")`,
    );
  }
}

export const ingestMigrations = [
  CreateIngestTables1732233600000,
  AddDuplicatePayloadDiffers1795400000000,
  AddSourceHealth1796100000000,
  CountEventsPerPartition1797200000000,
  KeyRawEventsById1798400000000,
];
