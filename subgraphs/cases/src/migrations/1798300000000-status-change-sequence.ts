import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each status change's place in the order the cases service applied them: an identity, so one case's changes
 * (applied one batch at a time under the subject's lock) are numbered in the order they were applied. The case
 * event carries it as its `sequence`, which is how the escalation engine tells a redelivered or older case event
 * from a newer one without remembering every message it has seen. Rows already on a timeline are numbered by the
 * table's rewrite, all below any change applied after it.
 */
export class StatusChangeSequence1798300000000 implements MigrationInterface {
  readonly name = 'StatusChangeSequence1798300000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(
      `ALTER TABLE "cases"."status_change" ADD COLUMN "sequence" bigint GENERATED ALWAYS AS IDENTITY`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE "cases"."status_change" DROP COLUMN "sequence"`);
  }
}
