import type { DataSource } from 'typeorm';
import type { FieldIssue, RejectionCode } from './errors';

/** The most recent rejections kept per event type (and for the source system as a whole). */
export const RECENT_REJECTIONS = 5;

/** One row of `ingest.event_count`. `type` is '' for a record whose type could not be read or is not published. */
export interface EventCountRow {
  readonly sourceSystem: string;
  readonly type: string;
  readonly outcome: 'accepted' | 'duplicate' | 'rejected';
  /** The rejection code; '' for other outcomes. */
  readonly code: string;
  readonly count: number;
  readonly lastAt: Date;
}

/** One recent rejection: its code, when, and which fields broke which rules. Never a value. */
export interface RecentRejection {
  readonly type: string | null;
  readonly code: RejectionCode;
  readonly at: string;
  readonly issues: readonly FieldIssue[];
}

export interface DeadLetterFigures {
  /** Every rejected record is dead-lettered, so this is also the rejected count. */
  readonly count: number;
  readonly byCode: readonly { readonly code: string; readonly count: number }[];
  /** Newest first, at most RECENT_REJECTIONS (from rows still within retention). */
  readonly recent: readonly RecentRejection[];
}

interface Figures {
  /** Distinct events stored and published. */
  readonly accepted: number;
  /** Records dead-lettered. */
  readonly rejected: number;
  /** Further records of an event already accepted (same source and id). */
  readonly duplicates: number;
  readonly lastEventAt: string | null;
  readonly lastAcceptedAt: string | null;
  readonly deadLetters: DeadLetterFigures;
}

export interface EventTypeFigures extends Figures {
  /** A published type; null for records whose type could not be read or is not one of the contract's. */
  readonly type: string | null;
}

/** A source system's connector health: what its agency's integrators and the MASH officers watch. */
export interface SourceSystemFigures extends Figures {
  readonly sourceSystem: string;
  readonly eventTypes: readonly EventTypeFigures[];
}

/** Code point order, the same on every machine (unlike localeCompare). */
const byCodePoint = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

const latest = (dates: readonly Date[]): string | null =>
  dates.length === 0 ? null : new Date(Math.max(...dates.map((d) => d.getTime()))).toISOString();

function figuresOf(counts: readonly EventCountRow[], recent: readonly RecentRejection[]): Figures {
  const sum = (outcome: EventCountRow['outcome']) =>
    counts.filter((c) => c.outcome === outcome).reduce((n, c) => n + c.count, 0);
  const byCode = new Map<string, number>();
  for (const c of counts.filter((r) => r.outcome === 'rejected'))
    byCode.set(c.code, (byCode.get(c.code) ?? 0) + c.count);
  const rejected = sum('rejected');
  return {
    accepted: sum('accepted'),
    rejected,
    duplicates: sum('duplicate'),
    lastEventAt: latest(counts.map((c) => c.lastAt)),
    lastAcceptedAt: latest(counts.filter((c) => c.outcome === 'accepted').map((c) => c.lastAt)),
    deadLetters: {
      count: rejected,
      byCode: [...byCode]
        .map(([code, count]) => ({ code, count }))
        .sort((a, b) => b.count - a.count || byCodePoint(a.code, b.code)),
      recent: [...recent].sort((a, b) => byCodePoint(b.at, a.at)).slice(0, RECENT_REJECTIONS),
    },
  };
}

/**
 * A source system's figures from its counts and recent rejections: totals, and the same per event type (published
 * types by name, then the unreadable ones). Pure.
 */
export function sourceSystemFigures(
  sourceSystem: string,
  counts: readonly EventCountRow[],
  recent: readonly RecentRejection[],
): SourceSystemFigures {
  const types = [...new Set(counts.map((c) => c.type))].sort((a, b) =>
    a === '' ? 1 : b === '' ? -1 : byCodePoint(a, b),
  );
  return {
    sourceSystem,
    ...figuresOf(counts, recent),
    eventTypes: types.map((type) => ({
      type: type === '' ? null : type,
      ...figuresOf(
        counts.filter((c) => c.type === type),
        recent.filter((r) => (r.type ?? '') === type),
      ),
    })),
  };
}

/** Reads connector health from schema `ingest` (the connector's own tables). */
export class SourceHealthRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Every count, for the metrics. */
  async counts(sourceSystem?: string): Promise<EventCountRow[]> {
    const rows = (await this.dataSource.query(
      `SELECT "source_system" AS "sourceSystem", "type", "outcome", "code", sum("count")::int AS "count",
              max("last_at") AS "lastAt"
         FROM "ingest"."event_count"
        WHERE $1::text IS NULL OR "source_system" = $1
        GROUP BY 1, 2, 3, 4
        ORDER BY 1, 2, 3, 4`,
      [sourceSystem ?? null],
    )) as EventCountRow[];
    return rows;
  }

  /** The figures of one source system (zeros when it has sent nothing). */
  async ofSourceSystem(sourceSystem: string): Promise<SourceSystemFigures> {
    const [counts, recent] = await Promise.all([this.counts(sourceSystem), this.recent(sourceSystem)]);
    return sourceSystemFigures(sourceSystem, counts, recent);
  }

  /** The most recent rejections of each type the source system had rejected. */
  private async recent(sourceSystem: string): Promise<RecentRejection[]> {
    const rows = (await this.dataSource.query(
      `SELECT t."type", r."code", r."received_at" AS "at", r."issues"
         FROM (SELECT DISTINCT "type" FROM "ingest"."event_count"
                WHERE "source_system" = $1 AND "outcome" = 'rejected') t
        CROSS JOIN LATERAL (
          SELECT "code", "received_at", "issues" FROM "ingest"."rejected_event"
           WHERE "source_system" = $1 AND coalesce("type", '') = t."type"
           ORDER BY "received_at" DESC, "offset" DESC
           LIMIT $2) r`,
      [sourceSystem, RECENT_REJECTIONS],
    )) as { type: string; code: RejectionCode; at: Date; issues: FieldIssue[] }[];
    return rows.map((r) => ({
      type: r.type === '' ? null : r.type,
      code: r.code,
      at: r.at.toISOString(),
      issues: r.issues.map(({ field, rule }) => ({ field, rule })),
    }));
  }
}
