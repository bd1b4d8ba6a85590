import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The partnership's learning reads the escalations it raised in a period (`escalationLearning`): an index on the
 * partnership and the time raised, so that it reads the period's rows and no others.
 */
export class EscalationByPartnershipRaised1797410000000 implements MigrationInterface {
  readonly name = 'EscalationByPartnershipRaised1797410000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(
      `CREATE INDEX "escalation_by_partnership_raised" ON "escalations"."escalation" ("partnership_id", "raised_at")`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP INDEX IF EXISTS "escalations"."escalation_by_partnership_raised"');
  }
}
