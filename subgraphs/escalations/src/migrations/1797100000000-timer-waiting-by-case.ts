import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The engine disarms a case's waiting finding timers (kind `grace`) that a case event shows no longer hold: an
 * index on the case of each waiting one, so that it finds them without reading every waiting timer.
 */
export class TimerWaitingByCase1797100000000 implements MigrationInterface {
  readonly name = 'TimerWaitingByCase1797100000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(
      `CREATE INDEX "timer_waiting_by_case" ON "escalations"."timer" (("payload"->>'caseId'))
        WHERE "fired_at" IS NULL AND "kind" = 'grace'`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP INDEX IF EXISTS "escalations"."timer_waiting_by_case"');
  }
}
