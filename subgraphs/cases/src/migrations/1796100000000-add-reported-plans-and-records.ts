import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the case keeps of the status changes that report plans, the child protection process and signals, and why a
 * status change is held for a MASH officer.
 *
 * - `plan`: the agency and its own reference (the upsert key), the status change that reported the start, the
 *   visit frequency and the latest visit in which the subject was seen. A reported plan whose start has not arrived
 *   yet has no kind or start; the demo seed's plans (no reference) keep both.
 * - `plan_action`: the agency's reference (upsert key within the plan), status, owner agency type, and the status
 *   change that last reported it and its time; `due_date` becomes a calendar date, as the contract reports it.
 * - `case.child_protection`: the process record (one per case, read and written whole with the case; never
 *   queried by its fields), as jsonb.
 * - `status_change.family`: the reporting agency's family (signals carry it); earlier rows take it from the event
 *   type (`uk.mash.<family>.<what>.v<N>`).
 * - `unmatched_status_change.reason_code`: the registry code saying why the change is held.
 */
export class AddReportedPlansAndRecords1796100000000 implements MigrationInterface {
  readonly name = 'AddReportedPlansAndRecords1796100000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      ALTER TABLE "cases"."plan"
        ADD COLUMN "agency_id" uuid,
        ADD COLUMN "ref" text,
        ADD COLUMN "started_status_change_id" uuid,
        ADD COLUMN "visit_frequency_days" integer CHECK ("visit_frequency_days" > 0),
        ADD COLUMN "last_seen_visit_at" timestamptz,
        ADD COLUMN "last_seen_visit_status_change_id" uuid,
        ALTER COLUMN "kind" DROP NOT NULL,
        ALTER COLUMN "started_at" DROP NOT NULL,
        ADD CONSTRAINT "plan_ref_with_agency" CHECK (("ref" IS NULL) = ("agency_id" IS NULL)),
        ADD CONSTRAINT "plan_unreported_complete" CHECK (
          "ref" IS NOT NULL OR ("kind" IS NOT NULL AND "started_at" IS NOT NULL)),
        ADD CONSTRAINT "plan_started_together" CHECK (
          "ref" IS NULL OR (("started_at" IS NULL) = ("started_status_change_id" IS NULL))),
        ADD CONSTRAINT "plan_case_agency_ref_key" UNIQUE ("case_id", "agency_id", "ref")`);

    await runner.query(`
      ALTER TABLE "cases"."plan_action"
        ADD COLUMN "ref" text,
        ADD COLUMN "status" text NOT NULL DEFAULT 'open' CHECK ("status" IN ('open', 'done')),
        ADD COLUMN "owner_agency_type" text,
        ADD COLUMN "status_change_id" uuid,
        ADD COLUMN "as_of" timestamptz,
        ALTER COLUMN "due_date" TYPE date USING ("due_date" AT TIME ZONE 'UTC')::date,
        ADD CONSTRAINT "plan_action_plan_ref_key" UNIQUE ("plan_id", "ref")`);
    await runner.query(`UPDATE "cases"."plan_action" SET "status" = 'done' WHERE "done_at" IS NOT NULL`);
    await runner.query(`
      ALTER TABLE "cases"."plan_action"
        ADD CONSTRAINT "plan_action_done_at_when_done" CHECK (("status" = 'done') = ("done_at" IS NOT NULL)),
        ADD CONSTRAINT "plan_action_reported" CHECK (
          "ref" IS NULL OR ("status_change_id" IS NOT NULL AND "as_of" IS NOT NULL))`);

    await runner.query(`ALTER TABLE "cases"."case" ADD COLUMN "child_protection" jsonb`);

    await runner.query(`ALTER TABLE "cases"."status_change" ADD COLUMN "family" text`);
    await runner.query(`UPDATE "cases"."status_change" SET "family" = split_part("type", '.', 3)`);
    await runner.query(`ALTER TABLE "cases"."status_change" ALTER COLUMN "family" SET NOT NULL`);

    await runner.query(`
      ALTER TABLE "cases"."unmatched_status_change"
        ADD COLUMN "reason_code" text NOT NULL DEFAULT 'SUBJECT_UNKNOWN'
          CHECK ("reason_code" IN ('SUBJECT_UNKNOWN', 'IDENTIFIER_CONFLICT'))`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE "cases"."unmatched_status_change" DROP COLUMN "reason_code"`);
    await runner.query(`ALTER TABLE "cases"."status_change" DROP COLUMN "family"`);
    await runner.query(`ALTER TABLE "cases"."case" DROP COLUMN "child_protection"`);
    await runner.query(`DELETE FROM "cases"."plan_action" WHERE "ref" IS NOT NULL`);
    await runner.query(`
      ALTER TABLE "cases"."plan_action"
        DROP CONSTRAINT "plan_action_done_at_when_done",
        DROP CONSTRAINT "plan_action_reported",
        DROP CONSTRAINT "plan_action_plan_ref_key",
        ALTER COLUMN "due_date" TYPE timestamptz USING "due_date"::timestamp AT TIME ZONE 'UTC',
        DROP COLUMN "ref",
        DROP COLUMN "status",
        DROP COLUMN "owner_agency_type",
        DROP COLUMN "status_change_id",
        DROP COLUMN "as_of"`);
    await runner.query(`DELETE FROM "cases"."plan" WHERE "ref" IS NOT NULL`);
    await runner.query(`
      ALTER TABLE "cases"."plan"
        DROP CONSTRAINT "plan_ref_with_agency",
        DROP CONSTRAINT "plan_unreported_complete",
        DROP CONSTRAINT "plan_started_together",
        DROP CONSTRAINT "plan_case_agency_ref_key",
        ALTER COLUMN "kind" SET NOT NULL,
        ALTER COLUMN "started_at" SET NOT NULL,
        DROP COLUMN "agency_id",
        DROP COLUMN "ref",
        DROP COLUMN "started_status_change_id",
        DROP COLUMN "visit_frequency_days",
        DROP COLUMN "last_seen_visit_at",
        DROP COLUMN "last_seen_visit_status_change_id"`);
  }
}
