import type { DataSource } from 'typeorm';
import type { AgencyFamily } from '@mash/schema';
import type { RejectionCode } from './errors';

/** One family's ingest counts: what an agency integrator watches. Holds no personal data. */
export interface FamilyIngestHealth {
  readonly family: AgencyFamily;
  /** Distinct events stored and published. */
  readonly accepted: number;
  /** Further records of an already accepted event (same source and id), republished idempotently. */
  readonly duplicates: number;
  /**
   * Those duplicates whose payload was not the stored one: the agency system sent two bodies under one event id.
   * The first stored version is what was published and republished.
   */
  readonly duplicatesWithOtherPayload: number;
  /** Records dead-lettered. */
  readonly rejected: number;
  readonly rejectedByCode: Readonly<Partial<Record<RejectionCode, number>>>;
  readonly lastAcceptedAt: string | null;
  readonly lastRejectedAt: string | null;
}

export interface ConnectorHealthOptions {
  /** Count only what was received at or after this instant. */
  readonly since?: Date;
  /** Report these families (with zeros where nothing was received); default: every family with records. */
  readonly families?: readonly AgencyFamily[];
}

/** Counts of accepted, duplicate and rejected events by family (and rejection code), from schema `ingest`. */
export async function connectorHealth(
  dataSource: DataSource,
  options: ConnectorHealthOptions = {},
): Promise<FamilyIngestHealth[]> {
  const since = options.since?.toISOString() ?? null;
  const where = `WHERE $1::timestamptz IS NULL OR "received_at" >= $1::timestamptz`;
  const [accepted, duplicates, rejected] = (await Promise.all([
    dataSource.query(
      `SELECT "family", count(*)::int AS "count", max("received_at") AS "last" FROM "ingest"."raw_event" ${where} GROUP BY "family"`,
      [since],
    ),
    dataSource.query(
      `SELECT "family", count(*)::int AS "count", (count(*) FILTER (WHERE "payload_differs"))::int AS "differing"
         FROM "ingest"."duplicate_event" ${where} GROUP BY "family"`,
      [since],
    ),
    dataSource.query(
      `SELECT "family", "code", count(*)::int AS "count", max("received_at") AS "last"
         FROM "ingest"."rejected_event" ${where} GROUP BY "family", "code"`,
      [since],
    ),
  ])) as [
    { family: AgencyFamily; count: number; last: Date }[],
    { family: AgencyFamily; count: number; differing: number }[],
    { family: AgencyFamily; code: RejectionCode; count: number; last: Date }[],
  ];

  const families = new Set<AgencyFamily>(options.families ?? []);
  if (!options.families) {
    for (const row of [...accepted, ...duplicates, ...rejected]) families.add(row.family);
  }
  return [...families].sort().map((family) => {
    const a = accepted.find((r) => r.family === family);
    const d = duplicates.find((r) => r.family === family);
    const rejections = rejected.filter((r) => r.family === family);
    const lastRejected = rejections.reduce<Date | null>(
      (m, r) => (m === null || r.last > m ? r.last : m),
      null,
    );
    return {
      family,
      accepted: a?.count ?? 0,
      duplicates: d?.count ?? 0,
      duplicatesWithOtherPayload: d?.differing ?? 0,
      rejected: rejections.reduce((n, r) => n + r.count, 0),
      rejectedByCode: Object.fromEntries(rejections.map((r) => [r.code, r.count])),
      lastAcceptedAt: a?.last.toISOString() ?? null,
      lastRejectedAt: lastRejected?.toISOString() ?? null,
    };
  });
}
