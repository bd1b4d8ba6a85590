import { isUuid } from '@mash/service-kit';
import { In, type DataSource, type EntityManager, type Repository } from 'typeorm';
import { ContactEntity } from '../entities/contact.entity';
import type { ContactRecord } from '../domain/contact';

/** Ids that can name a row; anything else names nothing (rather than failing the query in Postgres). */
function uuids(ids: readonly string[]): string[] {
  return [...new Set(ids.filter(isUuid))];
}

function contactRecord(e: ContactEntity): ContactRecord {
  return {
    id: e.id,
    partnershipId: e.partnershipId,
    agencyId: e.agencyId,
    name: e.name,
    role: e.role,
    team: e.team,
    phone: e.phone,
    email: e.email,
    managerId: e.managerId,
    onDutyCover: e.onDutyCover,
  };
}

/** Reads the professional directory. Access rules are applied by the caller (see access.ts). */
export class DirectoryRepository {
  private readonly contacts: Repository<ContactEntity>;

  constructor(dataSource: DataSource) {
    this.contacts = dataSource.getRepository(ContactEntity);
  }

  async contactsByIds(ids: readonly string[]): Promise<ContactRecord[]> {
    return this.findWhere('id', ids);
  }

  /** Contacts of these agencies, by name. */
  async contactsByAgencyIds(agencyIds: readonly string[]): Promise<ContactRecord[]> {
    return this.findWhere('agencyId', agencyIds);
  }

  /** Direct reports of these managers, by name. */
  async contactsByManagerIds(managerIds: readonly string[]): Promise<ContactRecord[]> {
    return this.findWhere('managerId', managerIds);
  }

  /** The whole directory of these partnerships, by name: what stage routing chooses from. */
  async contactsByPartnershipIds(partnershipIds: readonly string[]): Promise<ContactRecord[]> {
    return this.findWhere('partnershipId', partnershipIds);
  }

  private async findWhere(
    column: 'id' | 'agencyId' | 'managerId' | 'partnershipId',
    values: readonly string[],
  ): Promise<ContactRecord[]> {
    const wanted = uuids(values);
    if (wanted.length === 0) return [];
    const rows = await this.contacts.find({
      where: { [column]: In(wanted) },
      order: { name: 'ASC', id: 'ASC' },
    });
    return rows.map(contactRecord);
  }
}

/** Writes contacts, upserted by id, in the caller's transaction and in the order given (managers first). */
export async function upsertContacts(
  manager: EntityManager,
  contacts: readonly ContactRecord[],
): Promise<void> {
  for (const contact of contacts) {
    await manager.upsert(ContactEntity, { ...contact }, ['id']);
  }
}

/** The whole directory of these partnerships, read in the caller's transaction (what notification routing needs). */
export async function directoriesOf(
  manager: EntityManager,
  partnershipIds: readonly string[],
): Promise<ContactRecord[]> {
  const wanted = uuids(partnershipIds);
  if (wanted.length === 0) return [];
  const rows = await manager.getRepository(ContactEntity).find({
    where: { partnershipId: In(wanted) },
    order: { name: 'ASC', id: 'ASC' },
  });
  return rows.map(contactRecord);
}
