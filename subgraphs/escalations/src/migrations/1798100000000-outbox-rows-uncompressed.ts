import type { MigrationInterface, QueryRunner } from 'typeorm';
import { outboxRowsCompressedSql, outboxRowsUncompressedSql } from '@mash/kafka';

/** Outbox rows live for a moment: kept inline and uncompressed up to a page (see outboxRowsUncompressedSql). */
export class OutboxRowsUncompressed1798100000000 implements MigrationInterface {
  readonly name = 'OutboxRowsUncompressed1798100000000';

  async up(runner: QueryRunner): Promise<void> {
    for (const sql of outboxRowsUncompressedSql('escalations')) await runner.query(sql);
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const sql of outboxRowsCompressedSql('escalations')) await runner.query(sql);
  }
}
