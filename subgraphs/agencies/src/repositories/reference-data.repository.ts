import { isUuid } from '@mash/service-kit';
import { In, type DataSource, type Repository } from 'typeorm';
import { AgencyEntity } from '../entities/agency.entity';
import type { AgencyRecord, PartnershipRecord, SourceSystemRecord } from '../domain/reference';
import { PartnershipEntity } from '../entities/partnership.entity';
import { SourceSystemEntity } from '../entities/source-system.entity';

/** Ids that can name a row; anything else names nothing (rather than failing the query in Postgres). */
function uuids(ids: readonly string[]): string[] {
  return [...new Set(ids.filter(isUuid))];
}

function partnershipRecord(e: PartnershipEntity): PartnershipRecord {
  return { id: e.id, code: e.code, name: e.name, kind: e.kind, policy: e.policy };
}

function agencyRecord(e: AgencyEntity): AgencyRecord {
  return { id: e.id, partnershipId: e.partnershipId, code: e.code, name: e.name, type: e.type };
}

function sourceSystemRecord(e: SourceSystemEntity): SourceSystemRecord {
  return {
    id: e.id,
    agencyId: e.agencyId,
    code: e.code,
    name: e.name,
    family: e.family,
    identifierSystem: e.identifierSystem,
  };
}

/** Reads the reference data this subgraph owns: partnerships, their agencies and registered source systems. */
export class ReferenceDataRepository {
  private readonly partnerships: Repository<PartnershipEntity>;
  private readonly agencies: Repository<AgencyEntity>;
  private readonly sourceSystems: Repository<SourceSystemEntity>;

  constructor(dataSource: DataSource) {
    this.partnerships = dataSource.getRepository(PartnershipEntity);
    this.agencies = dataSource.getRepository(AgencyEntity);
    this.sourceSystems = dataSource.getRepository(SourceSystemEntity);
  }

  async allPartnerships(): Promise<PartnershipRecord[]> {
    const rows = await this.partnerships.find({ order: { name: 'ASC' } });
    return rows.map(partnershipRecord);
  }

  async partnershipsByIds(ids: readonly string[]): Promise<PartnershipRecord[]> {
    const wanted = uuids(ids);
    if (wanted.length === 0) return [];
    return (await this.partnerships.findBy({ id: In(wanted) })).map(partnershipRecord);
  }

  async agenciesByIds(ids: readonly string[]): Promise<AgencyRecord[]> {
    const wanted = uuids(ids);
    if (wanted.length === 0) return [];
    return (await this.agencies.findBy({ id: In(wanted) })).map(agencyRecord);
  }

  /** Agencies of these partnerships, by name. */
  async agenciesByPartnershipIds(partnershipIds: readonly string[]): Promise<AgencyRecord[]> {
    const wanted = uuids(partnershipIds);
    if (wanted.length === 0) return [];
    const rows = await this.agencies.find({ where: { partnershipId: In(wanted) }, order: { name: 'ASC' } });
    return rows.map(agencyRecord);
  }

  /** Source systems of these agencies, by code. */
  async sourceSystemsByAgencyIds(agencyIds: readonly string[]): Promise<SourceSystemRecord[]> {
    const wanted = uuids(agencyIds);
    if (wanted.length === 0) return [];
    const rows = await this.sourceSystems.find({ where: { agencyId: In(wanted) }, order: { code: 'ASC' } });
    return rows.map(sourceSystemRecord);
  }

  async sourceSystemsByIds(ids: readonly string[]): Promise<SourceSystemRecord[]> {
    const wanted = uuids(ids);
    if (wanted.length === 0) return [];
    return (await this.sourceSystems.findBy({ id: In(wanted) })).map(sourceSystemRecord);
  }

  async sourceSystemByCode(code: string): Promise<SourceSystemRecord | null> {
    const row = await this.sourceSystems.findOneBy({ code });
    return row ? sourceSystemRecord(row) : null;
  }
}
