import { outboxMigration, outboxValueAsJsonSql, outboxValueAsJsonbSql } from '@mash/kafka';

/** The outbox keeps each message's JSON as written (`json`), for the relay to send on as it is. */
export const OutboxValueJson1798000000000 = outboxMigration(
  'OutboxValueJson1798000000000',
  'escalations',
  outboxValueAsJsonSql,
  outboxValueAsJsonbSql,
);
