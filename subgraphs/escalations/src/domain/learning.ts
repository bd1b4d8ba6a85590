import type { LearningGranularity, LearningPeriod } from './learning-period';
import { periodBuckets } from './learning-period';
import { ESCALATION_GROUNDS, type EscalationGround } from './model';

/**
 * The partnership's learning (docs/DOMAIN.md#learning): how many escalations were raised in a period, counted per
 * bucket of each dimension a chart needs. Figures only: agencies by id (the graph names them), no case, no
 * subject, no reason, rationale or other free text.
 */

/** Outcomes of a resolved escalation as charted; an outcome recorded in any other words counts as OTHER. */
export const LEARNING_OUTCOMES = [
  'AGREED_ACTION_PLAN',
  'DECISION_UPHELD',
  'DECISION_CHANGED',
  'WITHDRAWN',
  'OTHER',
] as const;
export type LearningOutcome = (typeof LEARNING_OUTCOMES)[number];
/** The outcomes with a name of their own (all but OTHER). */
export const NAMED_OUTCOMES = LEARNING_OUTCOMES.filter((o) => o !== 'OTHER');

/**
 * An outcome's bucket: its words upper-cased, every run of other characters made one `_`, trimmed of `_`
 * (`agreed action plan`, `agreed-action-plan` and `AGREED_ACTION_PLAN` are one outcome). The repository's SQL
 * applies the same rule (`outcomeBucketSql`); the integration test holds the two together.
 */
export function outcomeBucket(outcome: string | null | undefined): LearningOutcome {
  const key = (outcome ?? '')
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  return (NAMED_OUTCOMES as readonly string[]).includes(key) ? (key as LearningOutcome) : 'OTHER';
}

/** Where an escalation stands, as charted: still being worked, resolved with an outcome, or sent another route. */
export const LEARNING_STATUSES = ['OPEN', 'RESOLVED', 'REDIRECTED'] as const;
export type LearningStatus = (typeof LEARNING_STATUSES)[number];

/** RESOLVED and REDIRECTED close an escalation; every other status is a step of the open process. */
export function statusBucket(status: string): LearningStatus {
  if (status === 'RESOLVED') return 'RESOLVED';
  if (status === 'REDIRECTED') return 'REDIRECTED';
  return 'OPEN';
}

/** Time from raising to resolution, in calendar time; each bucket holds its lower bound. */
export const RESOLUTION_TIME_BUCKETS = [
  { bucket: 'UNDER_1_DAY', fromHours: 0, toHours: 24 },
  { bucket: 'DAYS_1_TO_3', fromHours: 24, toHours: 72 },
  { bucket: 'DAYS_3_TO_7', fromHours: 72, toHours: 168 },
  { bucket: 'DAYS_7_TO_14', fromHours: 168, toHours: 336 },
  { bucket: 'DAYS_14_TO_28', fromHours: 336, toHours: 672 },
  { bucket: 'OVER_28_DAYS', fromHours: 672, toHours: null },
] as const;
export type ResolutionTimeBucket = (typeof RESOLUTION_TIME_BUCKETS)[number]['bucket'];

/** The lower bounds after the first, in hours: Postgres's `width_bucket(hours, thresholds)` gives the index. */
export const RESOLUTION_THRESHOLDS_HOURS: readonly number[] = RESOLUTION_TIME_BUCKETS.slice(1).map(
  (b) => b.fromHours,
);

/** The histogram bucket of a time to resolution (a negative time, a clock error, counts as under a day). */
export function resolutionBucket(hours: number): ResolutionTimeBucket {
  let index = 0;
  for (const threshold of RESOLUTION_THRESHOLDS_HOURS) if (hours >= threshold) index++;
  return bucketAt(index);
}

/** The bucket at a `width_bucket` index. */
export function bucketAt(index: number): ResolutionTimeBucket {
  const b = RESOLUTION_TIME_BUCKETS[Math.min(Math.max(index, 0), RESOLUTION_TIME_BUCKETS.length - 1)];
  return (b ?? RESOLUTION_TIME_BUCKETS[0]).bucket;
}

/** What a learning query narrows to, beside its partnership and period; absent means all. */
export interface LearningFilters {
  readonly grounds?: readonly EscalationGround[];
  readonly raisingAgencyIds?: readonly string[];
  readonly receivingAgencyIds?: readonly string[];
  readonly autoRaised?: boolean;
  readonly immediateRisk?: boolean;
}

export const ESCALATION_ORIGINS = ['AUTO_RAISED', 'MANUAL'] as const;
export type EscalationOrigin = (typeof ESCALATION_ORIGINS)[number];

/**
 * What the repository counts, one group per bucket: the GROUP BY's answer before empty buckets are added. Keys
 * are the stored values, already bucketed where the SQL does it (status, outcome, resolution time, period).
 */
export interface LearningGroups {
  readonly total: number;
  readonly raisingAgency: ReadonlyMap<string, number>;
  readonly receivingAgency: ReadonlyMap<string, number>;
  /** Keyed `raising receiving`. */
  readonly agencyPair: ReadonlyMap<string, { raising: string; receiving: string; count: number }>;
  readonly ground: ReadonlyMap<string, number>;
  readonly highestStage: ReadonlyMap<number, number>;
  readonly outcome: ReadonlyMap<string, number>;
  readonly status: ReadonlyMap<string, number>;
  readonly resolutionTime: ReadonlyMap<ResolutionTimeBucket, number>;
  readonly autoRaised: ReadonlyMap<boolean, number>;
  readonly immediateRisk: ReadonlyMap<boolean, number>;
  /** Keyed by the bucket's first day. */
  readonly period: ReadonlyMap<string, PeriodCounts>;
  /** Percentiles of the hours to resolution, null when nothing was resolved. */
  readonly medianHours: number | null;
  readonly p90Hours: number | null;
}

export interface PeriodCounts {
  readonly raised: number;
  readonly open: number;
  readonly resolved: number;
  readonly redirected: number;
  readonly autoRaised: number;
  readonly immediateRisk: number;
}

const NO_PERIOD_COUNTS: PeriodCounts = {
  raised: 0,
  open: 0,
  resolved: 0,
  redirected: 0,
  autoRaised: 0,
  immediateRisk: 0,
};

export interface AgencyCount {
  readonly agencyId: string;
  readonly count: number;
}

/** The answer, every bucket of a fixed dimension present (zero when empty), so charts keep their axes. */
export interface EscalationLearningFigures {
  readonly partnershipId: string;
  readonly from: string;
  readonly to: string;
  readonly granularity: LearningGranularity;
  readonly total: number;
  /** Agencies that raised or received at least one; most first, then by id. */
  readonly byRaisingAgency: readonly AgencyCount[];
  readonly byReceivingAgency: readonly AgencyCount[];
  readonly byAgencyPair: readonly {
    readonly raisingAgencyId: string;
    readonly receivingAgencyId: string;
    readonly count: number;
  }[];
  /** Every ground, in the order of docs/DOMAIN.md. */
  readonly byGround: readonly { readonly ground: EscalationGround; readonly count: number }[];
  /** Stages 1 to the highest reached by any escalation counted. */
  readonly byHighestStage: readonly { readonly stage: number; readonly count: number }[];
  /** Resolved escalations only. */
  readonly byOutcome: readonly { readonly outcome: LearningOutcome; readonly count: number }[];
  readonly byStatus: readonly { readonly status: LearningStatus; readonly count: number }[];
  readonly byOrigin: readonly { readonly origin: EscalationOrigin; readonly count: number }[];
  readonly byImmediateRisk: readonly { readonly immediateRisk: boolean; readonly count: number }[];
  readonly timeToResolution: {
    readonly resolved: number;
    readonly medianHours: number | null;
    readonly p90Hours: number | null;
    readonly histogram: readonly {
      readonly bucket: ResolutionTimeBucket;
      readonly fromHours: number;
      readonly toHours: number | null;
      readonly count: number;
    }[];
  };
  readonly series: readonly ({ readonly start: string; readonly end: string } & PeriodCounts)[];
}

/** Most first, then by id, so a chart's order is stable. */
function byCountThenId<T extends { count: number }>(key: (t: T) => string) {
  return (a: T, b: T) => {
    const [ka, kb] = [key(a), key(b)];
    return b.count - a.count || (ka < kb ? -1 : ka > kb ? 1 : 0);
  };
}

/** Hours to two decimals, for an answer a person reads. */
function hours(value: number | null): number | null {
  return value === null ? null : Math.round(value * 100) / 100;
}

/** The answer from the repository's groups: empty buckets added, agencies ordered, hours rounded. */
export function assembleLearning(
  partnershipId: string,
  period: Pick<LearningPeriod, 'from' | 'to'>,
  granularity: LearningGranularity,
  groups: LearningGroups,
): EscalationLearningFigures {
  const agencies = (m: ReadonlyMap<string, number>): AgencyCount[] =>
    [...m].map(([agencyId, count]) => ({ agencyId, count })).sort(byCountThenId((a) => a.agencyId));
  const topStage = Math.max(0, ...groups.highestStage.keys());
  const resolvedCount = [...groups.resolutionTime.values()].reduce((sum, n) => sum + n, 0);
  return {
    partnershipId,
    from: period.from,
    to: period.to,
    granularity,
    total: groups.total,
    byRaisingAgency: agencies(groups.raisingAgency),
    byReceivingAgency: agencies(groups.receivingAgency),
    byAgencyPair: [...groups.agencyPair.values()]
      .map((p) => ({ raisingAgencyId: p.raising, receivingAgencyId: p.receiving, count: p.count }))
      .sort(byCountThenId((p) => `${p.raisingAgencyId} ${p.receivingAgencyId}`)),
    byGround: ESCALATION_GROUNDS.map((ground) => ({ ground, count: groups.ground.get(ground) ?? 0 })),
    byHighestStage: Array.from({ length: topStage }, (_, i) => ({
      stage: i + 1,
      count: groups.highestStage.get(i + 1) ?? 0,
    })),
    byOutcome: LEARNING_OUTCOMES.map((outcome) => ({ outcome, count: groups.outcome.get(outcome) ?? 0 })),
    byStatus: LEARNING_STATUSES.map((status) => ({ status, count: groups.status.get(status) ?? 0 })),
    byOrigin: [
      { origin: 'AUTO_RAISED', count: groups.autoRaised.get(true) ?? 0 },
      { origin: 'MANUAL', count: groups.autoRaised.get(false) ?? 0 },
    ],
    byImmediateRisk: [
      { immediateRisk: true, count: groups.immediateRisk.get(true) ?? 0 },
      { immediateRisk: false, count: groups.immediateRisk.get(false) ?? 0 },
    ],
    timeToResolution: {
      resolved: resolvedCount,
      medianHours: hours(groups.medianHours),
      p90Hours: hours(groups.p90Hours),
      histogram: RESOLUTION_TIME_BUCKETS.map((b) => ({
        bucket: b.bucket,
        fromHours: b.fromHours,
        toHours: b.toHours,
        count: groups.resolutionTime.get(b.bucket) ?? 0,
      })),
    },
    series: periodBuckets(period, granularity).map((b) => ({
      ...b,
      ...(groups.period.get(b.start) ?? NO_PERIOD_COUNTS),
    })),
  };
}
