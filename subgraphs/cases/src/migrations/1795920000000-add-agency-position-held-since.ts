import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Since when each part of an agency's position has held its current value, so that an agency repeating the same
 * judgement does not restart a disagreement's grace period. Existing rows start from when each part was last set:
 * the earliest time known for the value they hold.
 */
export class AddAgencyPositionHeldSince1795920000000 implements MigrationInterface {
  readonly name = 'AddAgencyPositionHeldSince1795920000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      ALTER TABLE "cases"."agency_position"
        ADD COLUMN "threshold_since" timestamptz,
        ADD COLUMN "risk_since" timestamptz,
        ADD COLUMN "referral_since" timestamptz`);
    await runner.query(`
      UPDATE "cases"."agency_position" SET
        "threshold_since" = "threshold_as_of",
        "risk_since" = "risk_as_of",
        "referral_since" = "referral_as_of"`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`
      ALTER TABLE "cases"."agency_position"
        DROP COLUMN "threshold_since",
        DROP COLUMN "risk_since",
        DROP COLUMN "referral_since"`);
  }
}
