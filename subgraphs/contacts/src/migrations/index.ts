import { CreateContacts1763769700000 } from './1763769700000-CreateContacts';
import { Notifications1797200000000 } from './1797200000000-notifications';
import { OutboxValueJson1798000000000 } from './1798000000000-outbox-value-json';
import { OutboxRowsUncompressed1798100000000 } from './1798100000000-outbox-rows-uncompressed';

/** Every migration of the contacts schema, oldest first. */
export const migrations = [
  CreateContacts1763769700000,
  Notifications1797200000000,
  OutboxValueJson1798000000000,
  OutboxRowsUncompressed1798100000000,
];
