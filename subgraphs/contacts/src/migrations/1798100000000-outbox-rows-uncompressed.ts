import { outboxMigration, outboxRowsUncompressedSql, outboxRowsCompressedSql } from '@mash/kafka';

/** Outbox rows live for a moment: kept inline and uncompressed up to a page (see outboxRowsUncompressedSql). */
export const OutboxRowsUncompressed1798100000000 = outboxMigration(
  'OutboxRowsUncompressed1798100000000',
  'contacts',
  outboxRowsUncompressedSql,
  outboxRowsCompressedSql,
);
