import type { DataSource } from 'typeorm';
import { SCHEMA } from '../entities/schema-name';

/** How many status changes wait to be linked, by source system and event type (counts only: no personal data). */
export interface WaitingCount {
  /** The source system's code (from the change's `urn:mash:source:<code>`). */
  readonly sourceSystem: string;
  readonly type: string;
  readonly waiting: number;
}

export class UnmatchedHealthReader {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * The waiting changes of one source system, by type, counting only those of the given agency and partnership: a
   * representation naming another agency than the source system's finds none.
   */
  async waitingOf(
    sourceSystemId: string,
    owner: { readonly agencyId: string; readonly partnershipId: string },
  ): Promise<{ type: string; waiting: number }[]> {
    return (await this.dataSource.query(
      `SELECT "message"->>'type' AS "type", count(*)::int AS "waiting"
         FROM "${SCHEMA}"."unmatched_status_change"
        WHERE "linked_at" IS NULL AND "message"->>'sourceSystemId' = $1
          AND "agency_id"::text = $2 AND "partnership_id"::text = $3
        GROUP BY 1 ORDER BY 1`,
      [sourceSystemId, owner.agencyId, owner.partnershipId],
    )) as { type: string; waiting: number }[];
  }

  /** Every source system's waiting changes by type, for the metrics. */
  async waiting(): Promise<WaitingCount[]> {
    return (await this.dataSource.query(
      `SELECT regexp_replace("message"->>'source', '^urn:mash:source:', '') AS "sourceSystem",
              "message"->>'type' AS "type", count(*)::int AS "waiting"
         FROM "${SCHEMA}"."unmatched_status_change"
        WHERE "linked_at" IS NULL
        GROUP BY 1, 2 ORDER BY 1, 2`,
    )) as WaitingCount[];
  }
}
