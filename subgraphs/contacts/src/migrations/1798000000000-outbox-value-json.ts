import type { MigrationInterface, QueryRunner } from 'typeorm';
import { outboxValueAsJsonSql, outboxValueAsJsonbSql } from '@mash/kafka';

/** The outbox keeps each message's JSON as written (`json`), for the relay to send on as it is. */
export class OutboxValueJson1798000000000 implements MigrationInterface {
  readonly name = 'OutboxValueJson1798000000000';

  async up(runner: QueryRunner): Promise<void> {
    for (const sql of outboxValueAsJsonSql('contacts')) await runner.query(sql);
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const sql of outboxValueAsJsonbSql('contacts')) await runner.query(sql);
  }
}
