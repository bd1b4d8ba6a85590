import DataLoader from 'dataloader';
import type { DirectoryRepository } from '../repositories/directory.repository';
import type { ContactRecord } from '../domain/contact';

/** Per-request batching: a page of contacts, or a batch of escalations to route, costs one query per kind. */
export interface ContactsLoaders {
  readonly contact: DataLoader<string, ContactRecord | null>;
  readonly contactsOfAgency: DataLoader<string, ContactRecord[]>;
  readonly reportsOf: DataLoader<string, ContactRecord[]>;
  readonly directoryOfPartnership: DataLoader<string, ContactRecord[]>;
}

function groupBy(
  keys: readonly string[],
  rows: readonly ContactRecord[],
  key: (row: ContactRecord) => string | null,
): ContactRecord[][] {
  const map = new Map<string, ContactRecord[]>();
  for (const row of rows) {
    const k = key(row);
    if (k === null) continue;
    const group = map.get(k);
    if (group) group.push(row);
    else map.set(k, [row]);
  }
  return keys.map((k) => map.get(k) ?? []);
}

export function createContactsLoaders(directory: DirectoryRepository): ContactsLoaders {
  return {
    contact: new DataLoader(async (ids) => {
      const rows = new Map((await directory.contactsByIds(ids)).map((c) => [c.id, c]));
      return ids.map((id) => rows.get(id) ?? null);
    }),
    contactsOfAgency: new DataLoader(async (ids) =>
      groupBy(ids, await directory.contactsByAgencyIds(ids), (c) => c.agencyId),
    ),
    reportsOf: new DataLoader(async (ids) =>
      groupBy(ids, await directory.contactsByManagerIds(ids), (c) => c.managerId),
    ),
    directoryOfPartnership: new DataLoader(async (ids) =>
      groupBy(ids, await directory.contactsByPartnershipIds(ids), (c) => c.partnershipId),
    ),
  };
}
