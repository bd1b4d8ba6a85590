/**
 * Wall-clock arithmetic in Europe/London without a time-zone library: the working-day calendar and the
 * "same time on the Nth working day" rule are judged in London, whatever zone the process runs in.
 */
export const LONDON = 'Europe/London';

export interface CivilDate {
  readonly year: number;
  /** 1–12 */
  readonly month: number;
  readonly day: number;
}

export interface LondonDateTime extends CivilDate {
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  readonly millisecond: number;
  /** 0 = Sunday … 6 = Saturday. */
  readonly weekday: number;
}

const formatter = new Intl.DateTimeFormat('en-GB', {
  timeZone: LONDON,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

/** The London calendar date and wall-clock time of an instant, read with Intl (slow: tens of microseconds). */
function intlLondonParts(instant: Date): LondonDateTime {
  const parts: Record<string, number> = {};
  for (const p of formatter.formatToParts(instant)) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  const year = parts['year'] ?? NaN;
  const month = parts['month'] ?? NaN;
  const day = parts['day'] ?? NaN;
  return {
    year,
    month,
    day,
    hour: parts['hour'] ?? NaN,
    minute: parts['minute'] ?? NaN,
    second: parts['second'] ?? NaN,
    millisecond: instant.getUTCMilliseconds(),
    weekday: new Date(Date.UTC(year, month - 1, day)).getUTCDay(),
  };
}

const HOUR_MS = 3_600_000;
/** UTC hour → London's offset throughout it (null: the offset changed within the hour). Bounded; cleared when full. */
const offsetByHour = new Map<number, number | null>();
const OFFSET_CACHE_LIMIT = 200_000;

function intlOffsetMs(epochMs: number): number {
  const p = intlLondonParts(new Date(epochMs));
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - epochMs;
}

/**
 * London's offset throughout the UTC hour of `epochMs`, from Intl once per hour: the rules and clocks ask for the
 * same few days thousands of times a second. Null when the offset at the hour's start and end differ (Europe/London
 * changes on whole UTC hours, so this never happens; then the caller asks Intl for the instant itself).
 */
function hourOffsetMs(epochMs: number): number | null {
  const hour = Math.floor(epochMs / HOUR_MS);
  let offset = offsetByHour.get(hour);
  if (offset === undefined) {
    const start = intlOffsetMs(hour * HOUR_MS);
    offset = intlOffsetMs(hour * HOUR_MS + HOUR_MS - 1000) === start ? start : null;
    if (offsetByHour.size >= OFFSET_CACHE_LIMIT) offsetByHour.clear();
    offsetByHour.set(hour, offset);
  }
  return offset;
}

/** The London calendar date and wall-clock time of an instant. */
export function londonParts(instant: Date): LondonDateTime {
  const epochMs = instant.getTime();
  const offset = Number.isFinite(epochMs) ? hourOffsetMs(epochMs) : null;
  if (offset === null) return intlLondonParts(instant);
  const local = new Date(epochMs + offset);
  return {
    year: local.getUTCFullYear(),
    month: local.getUTCMonth() + 1,
    day: local.getUTCDate(),
    hour: local.getUTCHours(),
    minute: local.getUTCMinutes(),
    second: local.getUTCSeconds(),
    millisecond: instant.getUTCMilliseconds(),
    weekday: local.getUTCDay(),
  };
}

/** `YYYY-MM-DD` of the London calendar date. */
export function civilDateKey(d: CivilDate): string {
  return `${String(d.year).padStart(4, '0')}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;
}

/** London's offset from UTC in milliseconds at an instant (0 in winter, one hour in summer). */
function londonOffsetMs(epochMs: number): number {
  const p = londonParts(new Date(epochMs));
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second, p.millisecond) - epochMs;
}

/**
 * The instant at which London's clocks show this date and time. Day overflow is normalised (day 32 is the
 * 1st of the next month). A time skipped by the spring change resolves to the instant an hour later.
 */
export function londonInstant(
  date: CivilDate,
  time: Pick<LondonDateTime, 'hour' | 'minute' | 'second' | 'millisecond'>,
): Date {
  const asUtc = Date.UTC(
    date.year,
    date.month - 1,
    date.day,
    time.hour,
    time.minute,
    time.second,
    time.millisecond,
  );
  let epoch = asUtc - londonOffsetMs(asUtc);
  epoch = asUtc - londonOffsetMs(epoch);
  return new Date(epoch);
}

/** The civil date `days` after `date` (negative goes back). */
export function addCivilDays(date: CivilDate, days: number): CivilDate {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}
