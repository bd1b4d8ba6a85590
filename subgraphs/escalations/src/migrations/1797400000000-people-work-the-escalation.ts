import type { MigrationInterface, QueryRunner } from 'typeorm';

const S = '"escalations"';
const OUTCOMES = `('AGREED_ACTION_PLAN', 'DECISION_UPHELD', 'DECISION_CHANGED', 'WITHDRAWN')`;
const CLOSED = `('RESOLVED', 'REDIRECTED')`;

/** Refuses UPDATE, DELETE and TRUNCATE on one of the append-only tables below. */
function appendOnly(table: string): string[] {
  return [
    `CREATE TRIGGER "${table}_no_update_or_delete" BEFORE UPDATE OR DELETE ON ${S}."${table}"
      FOR EACH ROW EXECUTE FUNCTION ${S}."append_only"()`,
    `CREATE TRIGGER "${table}_no_truncate" BEFORE TRUNCATE ON ${S}."${table}"
      FOR EACH STATEMENT EXECUTE FUNCTION ${S}."append_only"()`,
  ];
}

const UP = [
  // Who raised it (null: the platform), how it was closed (an outcome, or a route it was redirected to), and how
  // outstanding issues will be pursued.
  `ALTER TABLE ${S}."escalation"
     ADD COLUMN "raised_by" text,
     ADD COLUMN "outstanding_issues" text,
     ADD COLUMN "redirect_route" text CHECK ("redirect_route" IN ('WHISTLEBLOWING', 'LADO', 'CONFERENCE_CHAIR'))`,
  // Outcomes were free text before they were coded: such a text is kept as the way outstanding issues would be
  // pursued (it is what was confirmed in writing), and the outcome itself is left unknown rather than guessed.
  `UPDATE ${S}."escalation"
      SET "outstanding_issues" = 'Outcome recorded before outcomes were coded: ' || "outcome", "outcome" = NULL
    WHERE "outcome" IS NOT NULL AND "outcome" NOT IN ${OUTCOMES}`,
  `ALTER TABLE ${S}."escalation"
     ADD CONSTRAINT "escalation_outcome_coded" CHECK ("outcome" IS NULL OR "outcome" IN ${OUTCOMES}),
     DROP CONSTRAINT "escalation_status_check",
     ADD CONSTRAINT "escalation_status_check" CHECK ("status" IN
       ('AWAITING_ACKNOWLEDGEMENT', 'IN_DISCUSSION', 'RESOLVED', 'REDIRECTED')),
     DROP CONSTRAINT "escalation_resolved_at_when_resolved",
     ADD CONSTRAINT "escalation_resolved_at_when_closed" CHECK (("status" IN ${CLOSED}) = ("resolved_at" IS NOT NULL)),
     ADD CONSTRAINT "escalation_route_when_redirected" CHECK (("status" = 'REDIRECTED') = ("redirect_route" IS NOT NULL))`,
  // One open escalation per case, ground and pair of agencies: a redirected one is closed too.
  `DROP INDEX ${S}."escalation_one_open"`,
  `CREATE UNIQUE INDEX "escalation_one_open" ON ${S}."escalation"
    ("case_id", "ground", "raising_agency_id", "receiving_agency_id") WHERE "status" NOT IN ${CLOSED}`,
  // The record is append-only (docs/DOMAIN.md#recording): meetings, learning, panels and their decisions too.
  `CREATE FUNCTION ${S}."append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION '%.% is append-only: % is not allowed', TG_TABLE_SCHEMA, TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
    END
  $$`,
  `CREATE TABLE ${S}."escalation_meeting" (
    "id" bigserial PRIMARY KEY,
    "escalation_id" uuid NOT NULL REFERENCES ${S}."escalation" ("id"),
    "stage" integer NOT NULL CHECK ("stage" >= 1),
    "held_at" timestamptz NOT NULL,
    "recorded_at" timestamptz NOT NULL,
    "recorded_by" text NOT NULL,
    "participants" jsonb NOT NULL CHECK (jsonb_typeof("participants") = 'array'),
    "agreed" text NOT NULL CHECK (btrim("agreed") <> ''),
    CHECK ("held_at" <= "recorded_at")
  )`,
  `CREATE INDEX "escalation_meeting_by_escalation" ON ${S}."escalation_meeting" ("escalation_id", "stage", "held_at")`,
  ...appendOnly('escalation_meeting'),
  `CREATE TABLE ${S}."escalation_learning" (
    "id" bigserial PRIMARY KEY,
    "escalation_id" uuid NOT NULL REFERENCES ${S}."escalation" ("id"),
    "recorded_at" timestamptz NOT NULL,
    "recorded_by" text NOT NULL,
    "learning" text NOT NULL CHECK (btrim("learning") <> ''),
    "debrief" text
  )`,
  `CREATE INDEX "escalation_learning_by_escalation" ON ${S}."escalation_learning" ("escalation_id", "id")`,
  ...appendOnly('escalation_learning'),
  // At most one panel per escalation, and at most one decision per panel.
  `CREATE TABLE ${S}."resolution_panel" (
    "escalation_id" uuid PRIMARY KEY REFERENCES ${S}."escalation" ("id"),
    "convened_at" timestamptz NOT NULL,
    "convened_by" text NOT NULL,
    "members" jsonb NOT NULL CHECK (jsonb_typeof("members") = 'array')
  )`,
  ...appendOnly('resolution_panel'),
  `CREATE TABLE ${S}."resolution_panel_decision" (
    "escalation_id" uuid PRIMARY KEY REFERENCES ${S}."resolution_panel" ("escalation_id"),
    "decided_at" timestamptz NOT NULL,
    "decided_by" text NOT NULL,
    "decision" text NOT NULL CHECK ("decision" IN ${OUTCOMES}),
    "rationale" text NOT NULL CHECK (btrim("rationale") <> '')
  )`,
  ...appendOnly('resolution_panel_decision'),
];

const DOWN = [
  `DROP TABLE IF EXISTS ${S}."resolution_panel_decision"`,
  `DROP TABLE IF EXISTS ${S}."resolution_panel"`,
  `DROP TABLE IF EXISTS ${S}."escalation_learning"`,
  `DROP TABLE IF EXISTS ${S}."escalation_meeting"`,
  `DROP FUNCTION IF EXISTS ${S}."append_only"()`,
  `DROP INDEX ${S}."escalation_one_open"`,
  `CREATE UNIQUE INDEX "escalation_one_open" ON ${S}."escalation"
    ("case_id", "ground", "raising_agency_id", "receiving_agency_id") WHERE "status" <> 'RESOLVED'`,
  `ALTER TABLE ${S}."escalation"
     DROP CONSTRAINT "escalation_route_when_redirected",
     DROP CONSTRAINT "escalation_resolved_at_when_closed",
     ADD CONSTRAINT "escalation_resolved_at_when_resolved" CHECK (("status" = 'RESOLVED') = ("resolved_at" IS NOT NULL)),
     DROP CONSTRAINT "escalation_status_check",
     ADD CONSTRAINT "escalation_status_check" CHECK ("status" IN ('AWAITING_ACKNOWLEDGEMENT', 'IN_DISCUSSION', 'RESOLVED')),
     DROP CONSTRAINT "escalation_outcome_coded",
     DROP COLUMN "redirect_route",
     DROP COLUMN "outstanding_issues",
     DROP COLUMN "raised_by"`,
];

/**
 * People work the escalation: who raised it, coded outcomes with how outstanding issues will be pursued,
 * redirection (status REDIRECTED), and the append-only records of meetings, learning and resolution panels.
 * Going down fails while a redirected escalation exists (the old status check refuses it), which is the point.
 */
export class PeopleWorkTheEscalation1797400000000 implements MigrationInterface {
  readonly name = 'PeopleWorkTheEscalation1797400000000';

  async up(runner: QueryRunner): Promise<void> {
    for (const sql of UP) await runner.query(sql);
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const sql of DOWN) await runner.query(sql);
  }
}
