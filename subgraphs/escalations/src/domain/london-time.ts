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

/** The London calendar date and wall-clock time of an instant. */
export function londonParts(instant: Date): LondonDateTime {
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
