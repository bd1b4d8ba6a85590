import type { DataSource } from 'typeorm';
import type { AuditEntry } from './recorder';

/** The audit trail's table, owned by the service kit's `audit` migrations. */
export const AUDIT_TABLE = '"audit"."entry"';

/**
 * Writes a request's audit entries in one INSERT (one JSON parameter expanded by `jsonb_to_recordset`), so a
 * request that reads a hundred records costs one round trip.
 */
export async function writeAuditEntries(
  dataSource: DataSource,
  entries: readonly AuditEntry[],
): Promise<void> {
  if (entries.length === 0) return;
  const rows = entries.map((e) => ({
    at: e.at.toISOString(),
    service: e.service,
    request_id: e.requestId,
    actor: e.actor,
    actor_agency_id: e.actorAgencyId ?? null,
    actor_partnership_id: e.actorPartnershipId ?? null,
    actor_roles: e.actorRoles,
    action: e.action,
    record_type: e.recordType,
    record_id: e.recordId,
    fields: e.fields,
    data_subject_id: e.dataSubjectId ?? null,
    ground: e.ground,
    outcome: e.outcome,
  }));
  await dataSource.query(
    `INSERT INTO ${AUDIT_TABLE} ("at", "service", "request_id", "actor", "actor_agency_id",
       "actor_partnership_id", "actor_roles", "action", "record_type", "record_id", "fields", "data_subject_id",
       "ground", "outcome")
     SELECT "at", "service", "request_id", "actor", "actor_agency_id", "actor_partnership_id", "actor_roles",
       "action", "record_type", "record_id", "fields", "data_subject_id", "ground", "outcome"
     FROM jsonb_to_recordset($1::jsonb) AS x("at" timestamptz, "service" text, "request_id" text, "actor" text,
       "actor_agency_id" text, "actor_partnership_id" text, "actor_roles" text[], "action" text,
       "record_type" text, "record_id" text, "fields" text[], "data_subject_id" text, "ground" text,
       "outcome" text)`,
    [JSON.stringify(rows)],
  );
}
