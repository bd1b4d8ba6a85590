import { outboxTableSql } from '@mash/kafka';
import type { MigrationInterface, QueryRunner } from 'typeorm';

const THRESHOLDS = `('none', 'universal', 'early-help', 'child-in-need', 'child-protection')`;
const RISK_LEVELS = `('standard', 'medium', 'high')`;
const REFERRAL_OUTCOMES = `('no-further-action', 'early-help', 'child-in-need', 'strategy-discussion', 'child-protection')`;

/** The cases subgraph's tables, in its own schema. */
export class CreateCasesTables1795316400000 implements MigrationInterface {
  readonly name = 'CreateCasesTables1795316400000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`CREATE SCHEMA IF NOT EXISTS "cases"`);
    await runner.query(`
      CREATE TABLE "cases"."subject" (
        "id" uuid PRIMARY KEY,
        "partnership_id" uuid NOT NULL,
        "display_name" text NOT NULL CHECK (length("display_name") > 0),
        "date_of_birth" date,
        "created_at" timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query(`CREATE INDEX "subject_partnership_idx" ON "cases"."subject" ("partnership_id")`);

    await runner.query(`
      CREATE TABLE "cases"."subject_identifier" (
        "partnership_id" uuid NOT NULL,
        "system" text NOT NULL,
        "value" text NOT NULL,
        "subject_id" uuid NOT NULL REFERENCES "cases"."subject" ("id"),
        "created_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "subject_identifier_pkey" PRIMARY KEY ("partnership_id", "system", "value")
      )`);
    await runner.query(
      `CREATE INDEX "subject_identifier_subject_idx" ON "cases"."subject_identifier" ("subject_id")`,
    );

    await runner.query(`
      CREATE TABLE "cases"."case" (
        "id" uuid PRIMARY KEY,
        "subject_id" uuid NOT NULL REFERENCES "cases"."subject" ("id"),
        "partnership_id" uuid NOT NULL,
        "status" text NOT NULL CHECK ("status" IN ('open', 'closed')),
        "opened_at" timestamptz NOT NULL,
        "closed_at" timestamptz,
        CONSTRAINT "case_closed_at_when_closed" CHECK (("status" = 'closed') = ("closed_at" IS NOT NULL))
      )`);
    await runner.query(
      `CREATE UNIQUE INDEX "case_one_open_per_subject" ON "cases"."case" ("subject_id", "partnership_id") WHERE "status" = 'open'`,
    );
    await runner.query(
      `CREATE INDEX "case_partnership_status_idx" ON "cases"."case" ("partnership_id", "status")`,
    );
    await runner.query(`CREATE INDEX "case_subject_idx" ON "cases"."case" ("subject_id")`);

    await runner.query(`
      CREATE TABLE "cases"."involvement" (
        "case_id" uuid NOT NULL REFERENCES "cases"."case" ("id"),
        "agency_id" uuid NOT NULL,
        "local_reference" text,
        "open" boolean NOT NULL,
        "since" timestamptz NOT NULL,
        "open_as_of" timestamptz NOT NULL,
        CONSTRAINT "involvement_pkey" PRIMARY KEY ("case_id", "agency_id")
      )`);
    await runner.query(`CREATE INDEX "involvement_agency_idx" ON "cases"."involvement" ("agency_id")`);

    await runner.query(`
      CREATE TABLE "cases"."agency_position" (
        "case_id" uuid NOT NULL,
        "agency_id" uuid NOT NULL,
        "threshold" text CHECK ("threshold" IN ${THRESHOLDS}),
        "threshold_status_change_id" uuid,
        "threshold_as_of" timestamptz,
        "risk_level" text CHECK ("risk_level" IN ${RISK_LEVELS}),
        "risk_status_change_id" uuid,
        "risk_as_of" timestamptz,
        "referral_outcome" text CHECK ("referral_outcome" IN ${REFERRAL_OUTCOMES}),
        "referral_status_change_id" uuid,
        "referral_as_of" timestamptz,
        "as_of" timestamptz NOT NULL,
        CONSTRAINT "agency_position_pkey" PRIMARY KEY ("case_id", "agency_id"),
        CONSTRAINT "agency_position_involvement_fkey" FOREIGN KEY ("case_id", "agency_id")
          REFERENCES "cases"."involvement" ("case_id", "agency_id")
      )`);

    await runner.query(`
      CREATE TABLE "cases"."plan" (
        "id" uuid PRIMARY KEY,
        "case_id" uuid NOT NULL REFERENCES "cases"."case" ("id"),
        "kind" text NOT NULL CHECK ("kind" IN ('child-protection', 'child-in-need', 'adult-safeguarding')),
        "started_at" timestamptz NOT NULL,
        "review_due" timestamptz,
        "ended_at" timestamptz
      )`);
    await runner.query(`CREATE INDEX "plan_case_idx" ON "cases"."plan" ("case_id")`);

    await runner.query(`
      CREATE TABLE "cases"."plan_action" (
        "id" uuid PRIMARY KEY,
        "plan_id" uuid NOT NULL REFERENCES "cases"."plan" ("id"),
        "description" text NOT NULL,
        "owner_agency_id" uuid,
        "due_date" timestamptz,
        "done_at" timestamptz
      )`);
    await runner.query(`CREATE INDEX "plan_action_plan_idx" ON "cases"."plan_action" ("plan_id")`);

    // The case reference is checked at commit: the timeline row is inserted first (its unique id is what tells a
    // replay from a new change) and the case it names may be opened after it in the same transaction.
    await runner.query(`
      CREATE TABLE "cases"."status_change" (
        "id" uuid PRIMARY KEY,
        "case_id" uuid NOT NULL REFERENCES "cases"."case" ("id") DEFERRABLE INITIALLY DEFERRED,
        "agency_id" uuid NOT NULL,
        "source" text NOT NULL,
        "event_id" text NOT NULL,
        "type" text NOT NULL,
        "kind" text NOT NULL,
        "facts" jsonb NOT NULL,
        "summary" text NOT NULL,
        "occurred_at" timestamptz NOT NULL,
        "received_at" timestamptz NOT NULL
      )`);
    await runner.query(
      `CREATE INDEX "status_change_timeline_idx" ON "cases"."status_change" ("case_id", "occurred_at" DESC, "received_at" DESC)`,
    );

    await runner.query(`
      CREATE TABLE "cases"."unmatched_status_change" (
        "id" uuid PRIMARY KEY,
        "partnership_id" uuid NOT NULL,
        "agency_id" uuid NOT NULL,
        "identifier_system" text NOT NULL,
        "identifier_value" text NOT NULL,
        "message" jsonb NOT NULL,
        "received_at" timestamptz NOT NULL,
        "linked_at" timestamptz,
        "linked_subject_id" uuid REFERENCES "cases"."subject" ("id"),
        "linked_by" text,
        CONSTRAINT "unmatched_linked_together" CHECK (
          ("linked_at" IS NULL) = ("linked_subject_id" IS NULL) AND ("linked_at" IS NULL) = ("linked_by" IS NULL)
        )
      )`);
    await runner.query(`
      CREATE INDEX "unmatched_pending_idx" ON "cases"."unmatched_status_change"
        ("partnership_id", "identifier_system", "identifier_value") WHERE "linked_at" IS NULL`);

    await runner.query(outboxTableSql('cases'));
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const table of [
      'outbox',
      'unmatched_status_change',
      'status_change',
      'plan_action',
      'plan',
      'agency_position',
      'involvement',
      'case',
      'subject_identifier',
      'subject',
    ]) {
      await runner.query(`DROP TABLE IF EXISTS "cases"."${table}"`);
    }
  }
}
