import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The shortest retention the database accepts, whatever the purge command is told (days). */
export const AUDIT_MIN_RETENTION_DAYS = 365;

const UP = [
  `CREATE SCHEMA IF NOT EXISTS "audit"`,
  `CREATE TABLE "audit"."entry" (
    "id" bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    "at" timestamptz NOT NULL,
    "service" text NOT NULL,
    "request_id" text NOT NULL,
    "actor" text NOT NULL,
    "actor_agency_id" text,
    "actor_partnership_id" text,
    "actor_roles" text[] NOT NULL,
    "action" text NOT NULL CHECK ("action" IN ('read', 'write')),
    "record_type" text NOT NULL,
    "record_id" text NOT NULL,
    "fields" text[] NOT NULL DEFAULT '{}',
    "data_subject_id" text,
    "ground" text NOT NULL,
    "outcome" text NOT NULL CHECK ("outcome" IN ('allowed', 'refused'))
  )`,
  `CREATE INDEX "entry_by_at" ON "audit"."entry" ("at", "id")`,
  `CREATE INDEX "entry_by_actor" ON "audit"."entry" ("actor", "at", "id")`,
  `CREATE INDEX "entry_by_data_subject" ON "audit"."entry" ("data_subject_id", "at", "id")`,
  // Append-only: UPDATE and TRUNCATE are always refused; DELETE only of a row older than the retention that the
  // session sets in "mash.audit_retention_days" (the purge command does), and never younger than the floor.
  `CREATE FUNCTION "audit"."entry_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
      keep_days integer := nullif(current_setting('mash.audit_retention_days', true), '')::integer;
    BEGIN
      IF TG_OP = 'DELETE' AND keep_days IS NOT NULL
         AND OLD."at" < now() - make_interval(days => greatest(keep_days, ${AUDIT_MIN_RETENTION_DAYS})) THEN
        RETURN OLD;
      END IF;
      RAISE EXCEPTION 'audit.entry is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege';
    END
  $$`,
  `CREATE TRIGGER "entry_no_update_or_delete"
    BEFORE UPDATE OR DELETE ON "audit"."entry"
    FOR EACH ROW EXECUTE FUNCTION "audit"."entry_append_only"()`,
  `CREATE TRIGGER "entry_no_truncate"
    BEFORE TRUNCATE ON "audit"."entry"
    FOR EACH STATEMENT EXECUTE FUNCTION "audit"."entry_append_only"()`,
];

export class CreateAuditTrail1796000000000 implements MigrationInterface {
  name = 'CreateAuditTrail1796000000000';

  async up(q: QueryRunner): Promise<void> {
    for (const sql of UP) await q.query(sql);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "audit"."entry"`);
    await q.query(`DROP FUNCTION "audit"."entry_append_only"()`);
  }
}

/**
 * A request's entries by its id: the gateway asks a subgraph to record the readers of a shared call as readers
 * too, and the copy finds the leading request's entries by `request_id` (`recordSharedReads`).
 */
export class IndexAuditEntryByRequest1796100000000 implements MigrationInterface {
  name = 'IndexAuditEntryByRequest1796100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX "entry_by_request" ON "audit"."entry" ("request_id")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "audit"."entry_by_request"`);
  }
}

/** Every migration of the `audit` schema, oldest first. */
export const auditMigrations = [CreateAuditTrail1796000000000, IndexAuditEntryByRequest1796100000000];
