import type { MigrationInterface, QueryRunner } from 'typeorm';
import { outboxTableSql } from '@mash/kafka';

const S = '"escalations"';

const UP = [
  `CREATE TABLE ${S}."escalation" (
    "id" uuid PRIMARY KEY,
    "case_id" text NOT NULL,
    "partnership_id" text NOT NULL,
    "ground" text NOT NULL CHECK ("ground" IN (
      'threshold-disagreement', 'stalled-plan', 'disengagement', 'increasing-risk', 'procedures-not-followed',
      'referral-not-progressed', 'information-not-shared', 'quality-of-work', 'actions-not-completed')),
    "raising_agency_id" text NOT NULL,
    "receiving_agency_id" text NOT NULL,
    "stage" integer NOT NULL CHECK ("stage" >= 1),
    "status" text NOT NULL CHECK ("status" IN ('AWAITING_ACKNOWLEDGEMENT', 'IN_DISCUSSION', 'RESOLVED')),
    "stage_started_at" timestamptz NOT NULL,
    "stage_deadline" timestamptz,
    "stage_owner_roles" text[] NOT NULL DEFAULT '{}',
    "auto_raised" boolean NOT NULL,
    "immediate_risk" boolean NOT NULL DEFAULT false,
    "raised_at" timestamptz NOT NULL,
    "resolved_at" timestamptz,
    "outcome" text,
    CONSTRAINT "escalation_resolved_at_when_resolved" CHECK (("status" = 'RESOLVED') = ("resolved_at" IS NOT NULL)),
    CONSTRAINT "escalation_between_two_agencies" CHECK ("raising_agency_id" <> "receiving_agency_id")
  )`,
  // One open escalation per case, ground and pair of agencies, even when two writers race.
  `CREATE UNIQUE INDEX "escalation_one_open" ON ${S}."escalation"
    ("case_id", "ground", "raising_agency_id", "receiving_agency_id") WHERE "status" <> 'RESOLVED'`,
  `CREATE INDEX "escalation_by_partnership" ON ${S}."escalation" ("partnership_id", "status")`,
  `CREATE INDEX "escalation_by_case" ON ${S}."escalation" ("case_id")`,
  `CREATE TABLE ${S}."escalation_evidence" (
    "escalation_id" uuid NOT NULL REFERENCES ${S}."escalation" ("id"),
    "status_change_id" text NOT NULL,
    "added_at" timestamptz NOT NULL,
    PRIMARY KEY ("escalation_id", "status_change_id")
  )`,
  `CREATE TABLE ${S}."escalation_transition" (
    "id" bigserial PRIMARY KEY,
    "escalation_id" uuid NOT NULL REFERENCES ${S}."escalation" ("id"),
    "at" timestamptz NOT NULL,
    "from_stage" integer,
    "to_stage" integer NOT NULL,
    "from_status" text,
    "to_status" text NOT NULL,
    "actor" text NOT NULL,
    "rationale" text NOT NULL
  )`,
  `CREATE INDEX "escalation_transition_by_escalation" ON ${S}."escalation_transition" ("escalation_id", "id")`,
  // The record is append-only (docs/DOMAIN.md#recording).
  `CREATE FUNCTION ${S}."escalation_transition_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'escalation_transition is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege';
    END
  $$`,
  `CREATE TRIGGER "escalation_transition_no_update_or_delete"
    BEFORE UPDATE OR DELETE ON ${S}."escalation_transition"
    FOR EACH ROW EXECUTE FUNCTION ${S}."escalation_transition_append_only"()`,
  `CREATE TRIGGER "escalation_transition_no_truncate"
    BEFORE TRUNCATE ON ${S}."escalation_transition"
    FOR EACH STATEMENT EXECUTE FUNCTION ${S}."escalation_transition_append_only"()`,
  `CREATE TABLE ${S}."case_snapshot" (
    "case_id" text PRIMARY KEY,
    "partnership_id" text NOT NULL,
    "snapshot" jsonb NOT NULL,
    "updated_at" timestamptz NOT NULL
  )`,
  `CREATE TABLE ${S}."inbox" (
    "message_id" text PRIMARY KEY,
    "processed_at" timestamptz NOT NULL
  )`,
  `CREATE TABLE ${S}."timer" (
    "id" uuid PRIMARY KEY,
    "kind" text NOT NULL CHECK ("kind" IN ('grace', 'stage-deadline')),
    "key" text NOT NULL UNIQUE,
    "due_at" timestamptz NOT NULL,
    "payload" jsonb NOT NULL,
    "fired_at" timestamptz,
    "attempts" integer NOT NULL DEFAULT 0,
    "last_error" text
  )`,
  `CREATE INDEX "timer_due" ON ${S}."timer" ("due_at") WHERE "fired_at" IS NULL`,
  outboxTableSql('escalations'),
];

const DOWN = [
  `DROP TABLE IF EXISTS ${S}."outbox"`,
  `DROP TABLE IF EXISTS ${S}."timer"`,
  `DROP TABLE IF EXISTS ${S}."inbox"`,
  `DROP TABLE IF EXISTS ${S}."case_snapshot"`,
  `DROP TABLE IF EXISTS ${S}."escalation_transition"`,
  `DROP FUNCTION IF EXISTS ${S}."escalation_transition_append_only"()`,
  `DROP TABLE IF EXISTS ${S}."escalation_evidence"`,
  `DROP TABLE IF EXISTS ${S}."escalation"`,
];

/** The escalations schema: escalations, evidence, append-only history, case snapshots, inbox, timers, outbox. */
export class EscalationsInit1763780000000 implements MigrationInterface {
  name = 'EscalationsInit1763780000000';

  async up(runner: QueryRunner): Promise<void> {
    for (const sql of UP) await runner.query(sql);
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const sql of DOWN) await runner.query(sql);
  }
}
