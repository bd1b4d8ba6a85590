import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A sweep claims its batch of due timers in one statement and fires each in its own transaction: `claimed_until`
 * is the lease that keeps other instances off a claimed timer until it has fired, or until the lease runs out (an
 * instance that stopped mid-batch hands its claims back that way).
 */
export class TimerClaimedUntil1797200000000 implements MigrationInterface {
  readonly name = 'TimerClaimedUntil1797200000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE "escalations"."timer" ADD COLUMN "claimed_until" timestamptz`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE "escalations"."timer" DROP COLUMN IF EXISTS "claimed_until"`);
  }
}
