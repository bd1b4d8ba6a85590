import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The sequence of the case event a stored snapshot came from (`CaseEventMessage.sequence`): the engine applies a
 * case event only when its sequence is above it, so a redelivered or older event changes nothing, however long
 * after, without an inbox row per message. Snapshots stored before have none: the next sequenced event applies.
 */
export class CaseSnapshotSequence1798300000000 implements MigrationInterface {
  readonly name = 'CaseSnapshotSequence1798300000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE "escalations"."case_snapshot" ADD COLUMN "sequence" bigint`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE "escalations"."case_snapshot" DROP COLUMN "sequence"`);
  }
}
