import type { MigrationInterface, QueryRunner } from 'typeorm';
import { outboxDeadLetterTableSql } from '@mash/kafka';

/** Where the outbox relay sets aside a row the broker refused for good, so that the rows behind it carry on. */
export class AddOutboxDeadLetter1796000000000 implements MigrationInterface {
  readonly name = 'AddOutboxDeadLetter1796000000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(outboxDeadLetterTableSql('escalations'));
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE IF EXISTS "escalations"."outbox_dead_letter"');
  }
}
