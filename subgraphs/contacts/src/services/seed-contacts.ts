import type { DataSource } from 'typeorm';
import { upsertContacts } from '../repositories/directory.repository';
import type { ContactRecord } from '../domain/contact';

/** Managers before their reports, so each row's manager exists when it is written. */
function managersFirst(contacts: readonly ContactRecord[]): ContactRecord[] {
  const byId = new Map(contacts.map((c) => [c.id, c]));
  const ordered: ContactRecord[] = [];
  const placed = new Set<string>();
  const visiting = new Set<string>();
  const place = (c: ContactRecord): void => {
    if (placed.has(c.id)) return;
    if (visiting.has(c.id)) throw new Error(`contact ${c.id} is in a reports-to cycle`);
    visiting.add(c.id);
    const manager = c.managerId ? byId.get(c.managerId) : undefined;
    if (manager) place(manager);
    visiting.delete(c.id);
    placed.add(c.id);
    ordered.push(c);
  };
  contacts.forEach(place);
  return ordered;
}

/**
 * Writes directory contacts in one transaction. Idempotent: rows are upserted by id, so seeding again brings
 * them up to date. Tests use it to seed their own directory.
 */
export async function seedContacts(
  dataSource: DataSource,
  contacts: readonly ContactRecord[],
): Promise<void> {
  const ordered = managersFirst(contacts);
  await dataSource.transaction((manager) => upsertContacts(manager, ordered));
}
