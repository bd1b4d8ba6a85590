import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The professional directory. Partnership and agency ids refer to the agencies subgraph's records by value. */
export class CreateContacts1763769700000 implements MigrationInterface {
  name = 'CreateContacts1763769700000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "contacts"."contact" (
        "id" uuid PRIMARY KEY,
        "partnership_id" uuid NOT NULL,
        "agency_id" uuid NOT NULL,
        "name" text NOT NULL,
        "role" text NOT NULL,
        "team" text,
        "phone" text,
        "email" text,
        "manager_id" uuid REFERENCES "contacts"."contact" ("id") ON DELETE SET NULL,
        "on_duty_cover" boolean NOT NULL DEFAULT false,
        CONSTRAINT "contact_role_check" CHECK ("role" IN (
          'practitioner', 'line-manager', 'designated-safeguarding-lead', 'head-of-service', 'lado',
          'independent-reviewing-officer', 'mash-officer', 'partnership-chair', 'agency-integrator', 'auditor'
        )),
        CONSTRAINT "contact_not_own_manager_check" CHECK ("manager_id" IS NULL OR "manager_id" <> "id")
      )`);
    await q.query(
      `CREATE INDEX "contact_partnership_role_idx" ON "contacts"."contact" ("partnership_id", "role")`,
    );
    await q.query(`CREATE INDEX "contact_agency_id_idx" ON "contacts"."contact" ("agency_id")`);
    await q.query(`CREATE INDEX "contact_manager_id_idx" ON "contacts"."contact" ("manager_id")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "contacts"."contact"`);
  }
}
