import type { DataSource } from 'typeorm';
import { pageOf, type Page, type PageRequest } from '../pagination';
import type { AuditAction, AuditEntry, AuditOutcome } from './recorder';
import { AUDIT_TABLE } from './writer';

/** What the trail can be searched by (all optional, combined with AND). */
export interface AuditFilter {
  /** The person the records are about. */
  readonly dataSubjectId?: string;
  /** Who accessed (a token subject). */
  readonly actor?: string;
  readonly recordId?: string;
  readonly from?: Date;
  /** Exclusive. */
  readonly to?: Date;
}

export interface StoredAuditEntry extends AuditEntry {
  readonly id: string;
}

interface Row {
  id: string;
  at: Date;
  service: string;
  request_id: string;
  actor: string;
  actor_agency_id: string | null;
  actor_partnership_id: string | null;
  actor_roles: string[];
  action: AuditAction;
  record_type: string;
  record_id: string;
  fields: string[];
  data_subject_id: string | null;
  ground: string;
  outcome: AuditOutcome;
}

/** Reads the trail newest first (by the order entries were written), one page at a time. */
export async function readAuditEntries(
  dataSource: DataSource,
  filter: AuditFilter,
  page: PageRequest,
): Promise<Page<StoredAuditEntry>> {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (sql: string, value: unknown) => {
    params.push(value);
    where.push(sql.replace('?', `$${params.length}`));
  };
  if (filter.dataSubjectId !== undefined) add('"data_subject_id" = ?', filter.dataSubjectId);
  if (filter.actor !== undefined) add('"actor" = ?', filter.actor);
  if (filter.recordId !== undefined) add('"record_id" = ?', filter.recordId);
  if (filter.from !== undefined) add('"at" >= ?', filter.from);
  if (filter.to !== undefined) add('"at" < ?', filter.to);
  if (page.after !== undefined) add('"id" < ?::bigint', page.after.id);
  params.push(page.first + 1);
  const rows = (await dataSource.query(
    `SELECT "id"::text AS "id", "at", "service", "request_id", "actor", "actor_agency_id", "actor_partnership_id",
       "actor_roles", "action", "record_type", "record_id", "fields", "data_subject_id", "ground", "outcome"
     FROM ${AUDIT_TABLE} ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
     ORDER BY "id" DESC LIMIT $${params.length}`,
    params,
  )) as Row[];
  return pageOf(rows.map(toEntry), page.first, (e) => ({ key: e.id, id: e.id }));
}

function toEntry(r: Row): StoredAuditEntry {
  return {
    id: r.id,
    at: r.at,
    service: r.service,
    requestId: r.request_id,
    actor: r.actor,
    ...(r.actor_agency_id !== null && { actorAgencyId: r.actor_agency_id }),
    ...(r.actor_partnership_id !== null && { actorPartnershipId: r.actor_partnership_id }),
    actorRoles: r.actor_roles,
    action: r.action,
    recordType: r.record_type,
    recordId: r.record_id,
    fields: r.fields,
    ...(r.data_subject_id !== null && { dataSubjectId: r.data_subject_id }),
    ground: r.ground,
    outcome: r.outcome,
  };
}
