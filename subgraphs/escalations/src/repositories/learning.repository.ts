import type { DataSource } from 'typeorm';
import {
  bucketAt,
  NAMED_OUTCOMES,
  RESOLUTION_THRESHOLDS_HOURS,
  type LearningFilters,
  type LearningGroups,
  type PeriodCounts,
  type ResolutionTimeBucket,
} from '../domain/learning';
import type { LearningGranularity, LearningPeriod } from '../domain/learning-period';
import { LONDON } from '../domain/london-time';

/** One learning query: a partnership, a period of raising dates, the time series' step, and the filters. */
export interface LearningQuery {
  readonly partnershipId: string;
  readonly period: LearningPeriod;
  readonly granularity: LearningGranularity;
  readonly filters: LearningFilters;
}

/** The dimensions of the GROUPING SETS, in the order of `GROUPING(...)`'s arguments. */
const DIMENSIONS = [
  'raising',
  'receiving',
  'ground',
  'highest_stage',
  'outcome',
  'status',
  'ttr',
  'auto_raised',
  'immediate_risk',
  'period',
] as const;
type Dimension = (typeof DIMENSIONS)[number];

/** `GROUPING(...)` of a grouping set: one bit per dimension not grouped by, the first argument highest. */
function groupingOf(set: readonly Dimension[]): number {
  return DIMENSIONS.reduce(
    (mask, d, i) => (set.includes(d) ? mask : mask | (1 << (DIMENSIONS.length - 1 - i))),
    0,
  );
}

const SETS = {
  raising: groupingOf(['raising']),
  receiving: groupingOf(['receiving']),
  pair: groupingOf(['raising', 'receiving']),
  ground: groupingOf(['ground']),
  highestStage: groupingOf(['highest_stage']),
  outcome: groupingOf(['outcome']),
  status: groupingOf(['status']),
  ttr: groupingOf(['ttr']),
  autoRaised: groupingOf(['auto_raised']),
  immediateRisk: groupingOf(['immediate_risk']),
  period: groupingOf(['period']),
  total: groupingOf([]),
};

/**
 * One statement, one snapshot: the period's escalations of the partnership (index
 * `escalation_by_partnership_raised`) with the highest stage their history reached (index
 * `escalation_transition_by_escalation`), bucketed once in a materialised CTE (outcomes by `outcomeBucket`'s rule,
 * which the integration test holds to the domain's), counted per bucket of every dimension with GROUPING SETS,
 * and the percentiles of the hours to resolution joined on. Reads no case id, subject, reason, rationale or actor.
 */
const LEARNING_SQL = `
WITH e AS MATERIALIZED (
  SELECT e."raising_agency_id" AS raising,
         e."receiving_agency_id" AS receiving,
         e."ground" AS ground,
         greatest(e."stage", (SELECT max(t."to_stage") FROM "escalations"."escalation_transition" t
                               WHERE t."escalation_id" = e."id")) AS highest_stage,
         CASE WHEN e."status" = 'RESOLVED'
              THEN CASE WHEN d.outcome_key = ANY($6::text[]) THEN d.outcome_key ELSE 'OTHER' END
         END AS outcome,
         CASE e."status" WHEN 'RESOLVED' THEN 'RESOLVED' WHEN 'REDIRECTED' THEN 'REDIRECTED' ELSE 'OPEN' END AS status,
         d.hours,
         width_bucket(d.hours, $7::float8[]) AS ttr,
         e."auto_raised" AS auto_raised,
         e."immediate_risk" AS immediate_risk,
         greatest(date_trunc($4::text, e."raised_at" AT TIME ZONE '${LONDON}')::date, $5::date)::text AS period
    FROM "escalations"."escalation" e
   CROSS JOIN LATERAL (
     SELECT CASE WHEN e."status" = 'RESOLVED' AND e."resolved_at" IS NOT NULL
                 THEN extract(epoch FROM e."resolved_at" - e."raised_at")::float8 / 3600 END AS hours,
            -- outcomeBucket's rule (domain/learning.ts): upper-cased, runs of other characters one _, trimmed of _
            btrim(regexp_replace(upper(coalesce(e."outcome", '')), '[^A-Z0-9]+', '_', 'g'), '_') AS outcome_key
   ) d
   WHERE e."partnership_id" = $1 AND e."raised_at" >= $2 AND e."raised_at" < $3
     AND ($8::text[] IS NULL OR e."ground" = ANY($8::text[]))
     AND ($9::text[] IS NULL OR e."raising_agency_id" = ANY($9::text[]))
     AND ($10::text[] IS NULL OR e."receiving_agency_id" = ANY($10::text[]))
     AND ($11::boolean IS NULL OR e."auto_raised" = $11::boolean)
     AND ($12::boolean IS NULL OR e."immediate_risk" = $12::boolean)
),
counts AS (
  SELECT GROUPING(${DIMENSIONS.join(', ')})::int AS g, ${DIMENSIONS.join(', ')},
         count(*)::int AS n,
         count(*) FILTER (WHERE status = 'OPEN')::int AS open,
         count(*) FILTER (WHERE status = 'RESOLVED')::int AS resolved,
         count(*) FILTER (WHERE status = 'REDIRECTED')::int AS redirected,
         count(*) FILTER (WHERE auto_raised)::int AS auto,
         count(*) FILTER (WHERE immediate_risk)::int AS immediate
    FROM e
   GROUP BY GROUPING SETS ((raising), (receiving), (raising, receiving), (ground), (highest_stage), (outcome),
                           (status), (ttr), (auto_raised), (immediate_risk), (period), ())
),
p AS (
  SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY hours) AS median,
         percentile_cont(0.9) WITHIN GROUP (ORDER BY hours) AS p90
    FROM e WHERE hours IS NOT NULL
)
SELECT counts.*, p.median, p.p90 FROM counts CROSS JOIN p`;

interface Row {
  g: number;
  raising: string | null;
  receiving: string | null;
  ground: string | null;
  highest_stage: number | null;
  outcome: string | null;
  status: string | null;
  ttr: number | null;
  auto_raised: boolean | null;
  immediate_risk: boolean | null;
  period: string | null;
  n: number;
  open: number;
  resolved: number;
  redirected: number;
  auto: number;
  immediate: number;
  median: number | null;
  p90: number | null;
}

/** Reads the partnership's learning figures: counts only, never a record. */
export class LearningRepository {
  constructor(private readonly dataSource: DataSource) {}

  async groups(query: LearningQuery): Promise<LearningGroups> {
    const { filters } = query;
    const rows = (await this.dataSource.query(LEARNING_SQL, [
      query.partnershipId,
      query.period.startsAt,
      query.period.endsBefore,
      query.granularity === 'WEEK' ? 'week' : 'month',
      query.period.from,
      NAMED_OUTCOMES,
      RESOLUTION_THRESHOLDS_HOURS,
      filters.grounds ?? null,
      filters.raisingAgencyIds ?? null,
      filters.receivingAgencyIds ?? null,
      filters.autoRaised ?? null,
      filters.immediateRisk ?? null,
    ])) as Row[];
    return toGroups(rows);
  }
}

function toGroups(rows: readonly Row[]): LearningGroups {
  const raisingAgency = new Map<string, number>();
  const receivingAgency = new Map<string, number>();
  const agencyPair = new Map<string, { raising: string; receiving: string; count: number }>();
  const ground = new Map<string, number>();
  const highestStage = new Map<number, number>();
  const outcome = new Map<string, number>();
  const status = new Map<string, number>();
  const resolutionTime = new Map<ResolutionTimeBucket, number>();
  const autoRaised = new Map<boolean, number>();
  const immediateRisk = new Map<boolean, number>();
  const period = new Map<string, PeriodCounts>();
  let total = 0;
  let medianHours: number | null = null;
  let p90Hours: number | null = null;
  for (const r of rows) {
    medianHours = r.median === null ? null : Number(r.median);
    p90Hours = r.p90 === null ? null : Number(r.p90);
    switch (r.g) {
      case SETS.total:
        total = r.n;
        break;
      case SETS.raising:
        if (r.raising !== null) raisingAgency.set(r.raising, r.n);
        break;
      case SETS.receiving:
        if (r.receiving !== null) receivingAgency.set(r.receiving, r.n);
        break;
      case SETS.pair:
        if (r.raising !== null && r.receiving !== null) {
          agencyPair.set(`${r.raising} ${r.receiving}`, {
            raising: r.raising,
            receiving: r.receiving,
            count: r.n,
          });
        }
        break;
      case SETS.ground:
        if (r.ground !== null) ground.set(r.ground, r.n);
        break;
      case SETS.highestStage:
        if (r.highest_stage !== null) highestStage.set(r.highest_stage, r.n);
        break;
      case SETS.outcome: // null: the escalations not resolved, which have no outcome
        if (r.outcome !== null) outcome.set(r.outcome, r.n);
        break;
      case SETS.status:
        if (r.status !== null) status.set(r.status, r.n);
        break;
      case SETS.ttr: // null: not resolved
        if (r.ttr !== null) resolutionTime.set(bucketAt(r.ttr), r.n);
        break;
      case SETS.autoRaised:
        if (r.auto_raised !== null) autoRaised.set(r.auto_raised, r.n);
        break;
      case SETS.immediateRisk:
        if (r.immediate_risk !== null) immediateRisk.set(r.immediate_risk, r.n);
        break;
      case SETS.period:
        if (r.period !== null) {
          period.set(r.period, {
            raised: r.n,
            open: r.open,
            resolved: r.resolved,
            redirected: r.redirected,
            autoRaised: r.auto,
            immediateRisk: r.immediate,
          });
        }
        break;
    }
  }
  return {
    total,
    raisingAgency,
    receivingAgency,
    agencyPair,
    ground,
    highestStage,
    outcome,
    status,
    resolutionTime,
    autoRaised,
    immediateRisk,
    period,
    medianHours,
    p90Hours,
  };
}
