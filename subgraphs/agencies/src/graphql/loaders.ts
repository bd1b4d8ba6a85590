import DataLoader from 'dataloader';
import type { AgencyRecord, PartnershipRecord, SourceSystemRecord } from '../domain/reference';
import type { ReferenceDataRepository } from '../repositories/reference-data.repository';

/** Per-request batching, so a page of agencies (or a batch of entity references) costs one query per kind. */
export interface AgenciesLoaders {
  readonly partnership: DataLoader<string, PartnershipRecord | null>;
  readonly agency: DataLoader<string, AgencyRecord | null>;
  readonly agenciesOfPartnership: DataLoader<string, AgencyRecord[]>;
  readonly sourceSystemsOfAgency: DataLoader<string, SourceSystemRecord[]>;
  readonly sourceSystem: DataLoader<string, SourceSystemRecord | null>;
}

function byId<T extends { id: string }>(keys: readonly string[], rows: readonly T[]): (T | null)[] {
  const map = new Map(rows.map((r) => [r.id, r]));
  return keys.map((k) => map.get(k) ?? null);
}

function groupBy<T>(keys: readonly string[], rows: readonly T[], key: (row: T) => string): T[][] {
  const map = new Map<string, T[]>();
  for (const row of rows) {
    const group = map.get(key(row));
    if (group) group.push(row);
    else map.set(key(row), [row]);
  }
  return keys.map((k) => map.get(k) ?? []);
}

export function createAgenciesLoaders(service: ReferenceDataRepository): AgenciesLoaders {
  return {
    partnership: new DataLoader(async (ids) => byId(ids, await service.partnershipsByIds(ids))),
    agency: new DataLoader(async (ids) => byId(ids, await service.agenciesByIds(ids))),
    agenciesOfPartnership: new DataLoader(async (ids) =>
      groupBy(ids, await service.agenciesByPartnershipIds(ids), (a) => a.partnershipId),
    ),
    sourceSystemsOfAgency: new DataLoader(async (ids) =>
      groupBy(ids, await service.sourceSystemsByAgencyIds(ids), (s) => s.agencyId),
    ),
    sourceSystem: new DataLoader(async (ids) => byId(ids, await service.sourceSystemsByIds(ids))),
  };
}
