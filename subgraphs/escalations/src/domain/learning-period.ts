import { addCivilDays, civilDateKey, londonInstant, type CivilDate } from './london-time';

/**
 * The period of a learning query: London calendar dates, both inclusive. An escalation belongs to it by when it was
 * raised: on or after 00:00 London time on `from`, before 00:00 London time on the day after `to` (so GMT and BST
 * are both right, and a day of 23 or 25 hours is one day).
 */
export interface LearningPeriod {
  /** `YYYY-MM-DD`, London. */
  readonly from: string;
  /** `YYYY-MM-DD`, London, inclusive. */
  readonly to: string;
  /** 00:00 London on `from`. */
  readonly startsAt: Date;
  /** 00:00 London on the day after `to`. */
  readonly endsBefore: Date;
  /** Calendar days in the period, both ends counted. */
  readonly days: number;
}

export const LEARNING_GRANULARITIES = ['WEEK', 'MONTH'] as const;
export type LearningGranularity = (typeof LEARNING_GRANULARITIES)[number];

/** The longest period one query covers (five years), which bounds the time series to 262 weeks or 61 months. */
export const MAX_LEARNING_PERIOD_DAYS = 5 * 365 + 2;
/** Periods up to a quarter (92 days) are charted by week, longer ones by month, unless the caller chooses. */
export const WEEKLY_UP_TO_DAYS = 92;

/** A period the caller asked for that cannot be answered; the GraphQL layer maps it to BAD_USER_INPUT. */
export class LearningPeriodError extends Error {
  constructor(
    message: string,
    readonly field: 'from' | 'to',
  ) {
    super(message);
    this.name = 'LearningPeriodError';
  }
}

const MIDNIGHT = { hour: 0, minute: 0, second: 0, millisecond: 0 };
const DAY_MS = 86_400_000;

/** Reads a `YYYY-MM-DD` date that exists on the calendar, or null. */
export function parseCivilDate(value: string): CivilDate | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return null;
  const date = { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
  const check = addCivilDays(date, 0);
  return civilDateKey(check) === value ? date : null;
}

/** Days from `a` to `b` on the calendar (0 when the same day). */
function daysBetween(a: CivilDate, b: CivilDate): number {
  return Math.round((Date.UTC(b.year, b.month - 1, b.day) - Date.UTC(a.year, a.month - 1, a.day)) / DAY_MS);
}

/** The period from `from` to `to` (London dates, inclusive); LearningPeriodError when it is not a period. */
export function learningPeriod(from: string, to: string): LearningPeriod {
  const start = parseCivilDate(from);
  if (!start) throw new LearningPeriodError(`from is not a calendar date (YYYY-MM-DD): ${from}`, 'from');
  const end = parseCivilDate(to);
  if (!end) throw new LearningPeriodError(`to is not a calendar date (YYYY-MM-DD): ${to}`, 'to');
  const days = daysBetween(start, end) + 1;
  if (days < 1) throw new LearningPeriodError('to is before from.', 'to');
  if (days > MAX_LEARNING_PERIOD_DAYS) {
    throw new LearningPeriodError(`A period covers at most ${MAX_LEARNING_PERIOD_DAYS} days.`, 'to');
  }
  return {
    from,
    to,
    startsAt: londonInstant(start, MIDNIGHT),
    endsBefore: londonInstant(addCivilDays(end, 1), MIDNIGHT),
    days,
  };
}

/** The caller's granularity, or weeks for a period up to a quarter and months beyond. */
export function granularityFor(
  period: Pick<LearningPeriod, 'days'>,
  chosen?: LearningGranularity | null,
): LearningGranularity {
  if (chosen) return chosen;
  return period.days <= WEEKLY_UP_TO_DAYS ? 'WEEK' : 'MONTH';
}

/** One point of the time series: the days of a week (Monday to Sunday) or a month within the period. */
export interface PeriodBucket {
  /** First day, `YYYY-MM-DD`: the Monday or the 1st, or `from` for the first bucket. */
  readonly start: string;
  /** Last day, inclusive: the Sunday or the month's last day, or `to` for the last bucket. */
  readonly end: string;
}

/** The start of the week (Monday) or month holding `date`: what Postgres's `date_trunc` gives in London time. */
export function bucketStartOf(date: CivilDate, granularity: LearningGranularity): CivilDate {
  if (granularity === 'MONTH') return { year: date.year, month: date.month, day: 1 };
  const weekday = new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay(); // 0 = Sunday
  return addCivilDays(date, -((weekday + 6) % 7));
}

function nextBucketStart(start: CivilDate, granularity: LearningGranularity): CivilDate {
  if (granularity === 'WEEK') return addCivilDays(start, 7);
  return start.month === 12
    ? { year: start.year + 1, month: 1, day: 1 }
    : { year: start.year, month: start.month + 1, day: 1 };
}

/**
 * Every week or month that overlaps the period, in order, each cut to the period (the first starts on `from`, the
 * last ends on `to`), so a chart gets its empty buckets too.
 */
export function periodBuckets(
  period: Pick<LearningPeriod, 'from' | 'to'>,
  granularity: LearningGranularity,
): PeriodBucket[] {
  const from = parseCivilDate(period.from);
  const to = parseCivilDate(period.to);
  if (!from || !to) throw new LearningPeriodError('The period is not made of calendar dates.', 'from');
  const out: PeriodBucket[] = [];
  for (let start = bucketStartOf(from, granularity); daysBetween(start, to) >= 0;) {
    const next = nextBucketStart(start, granularity);
    const first = daysBetween(start, from) > 0 ? from : start;
    const lastDay = addCivilDays(next, -1);
    const last = daysBetween(lastDay, to) < 0 ? to : lastDay;
    out.push({ start: civilDateKey(first), end: civilDateKey(last) });
    start = next;
  }
  return out;
}
