import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Partnerships (with their escalation policy document), member agencies and registered source systems. */
export class CreateAgencies1763769600000 implements MigrationInterface {
  name = 'CreateAgencies1763769600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "agencies"."partnership" (
        "id" uuid PRIMARY KEY,
        "code" text NOT NULL,
        "name" text NOT NULL,
        "kind" text NOT NULL,
        "policy" jsonb NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "partnership_code_key" UNIQUE ("code"),
        CONSTRAINT "partnership_kind_check" CHECK ("kind" IN ('LSCP', 'SAB')),
        CONSTRAINT "partnership_policy_check" CHECK (jsonb_typeof("policy") = 'object')
      )`);
    await q.query(`
      CREATE TABLE "agencies"."agency" (
        "id" uuid PRIMARY KEY,
        "partnership_id" uuid NOT NULL REFERENCES "agencies"."partnership" ("id"),
        "code" text NOT NULL,
        "name" text NOT NULL,
        "type" text NOT NULL,
        CONSTRAINT "agency_partnership_code_key" UNIQUE ("partnership_id", "code"),
        CONSTRAINT "agency_type_check" CHECK ("type" IN (
          'police', 'health', 'la-children', 'la-adults', 'education', 'probation', 'housing', 'voluntary',
          'partnership-business-unit'
        ))
      )`);
    await q.query(`
      CREATE TABLE "agencies"."source_system" (
        "id" uuid PRIMARY KEY,
        "agency_id" uuid NOT NULL REFERENCES "agencies"."agency" ("id"),
        "code" text NOT NULL,
        "name" text NOT NULL,
        "family" text NOT NULL,
        "identifier_system" text NOT NULL,
        CONSTRAINT "source_system_code_key" UNIQUE ("code"),
        CONSTRAINT "source_system_family_check" CHECK ("family" IN (
          'police', 'health', 'la-children', 'la-adults', 'education'
        )),
        CONSTRAINT "source_system_identifier_system_check" CHECK ("identifier_system" IN (
          'nhs-number', 'la-person-id', 'police-person-id', 'upn'
        ))
      )`);
    await q.query(`CREATE INDEX "source_system_agency_id_idx" ON "agencies"."source_system" ("agency_id")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "agencies"."source_system"`);
    await q.query(`DROP TABLE "agencies"."agency"`);
    await q.query(`DROP TABLE "agencies"."partnership"`);
  }
}
