import type { Timescale } from '@mash/schema';
import { addCivilDays, londonInstant, londonParts } from './london-time';

/** Which days count as working days (weekends and bank holidays do not). Judged in Europe/London. */
export interface WorkingDayCalendar {
  isWorkingDay(date: Date): boolean;
}

const HOUR_MS = 3_600_000;
/** No real calendar has a year without working days; stop rather than loop for ever on a broken one. */
const MAX_SCAN_DAYS = 3660;

/**
 * When a timescale that starts at `start` runs out.
 * - `hours`: plain elapsed hours.
 * - `calendar-days`: the same London wall-clock time N civil days later, so a deadline keeps its time of day
 *   across a clock change (7 days from 10:00 BST is 10:00 GMT, 7 × 24 + 1 hours later).
 * - `calendar-months`: the same London wall-clock time N months later (the month's last day when it is shorter).
 * - `working-days`: the same London wall-clock time on the Nth following working day. A start on a
 *   non-working day counts from the next working day, as if it had started then (Saturday 10:00 plus one
 *   working day is Tuesday 10:00, like Monday 10:00 plus one).
 */
export function addTimescale(start: Date, t: Timescale, cal: WorkingDayCalendar): Date {
  if (!Number.isFinite(t.amount) || t.amount < 0) {
    throw new RangeError(`a timescale needs a non-negative amount, got ${t.amount}`);
  }
  switch (t.unit) {
    case 'hours':
      return new Date(start.getTime() + t.amount * HOUR_MS);
    case 'calendar-days':
      return addCalendarDays(start, t.amount);
    case 'working-days':
      return addWorkingDays(start, t.amount, cal);
    case 'calendar-months':
      return addCalendarMonths(start, t.amount);
  }
}

/**
 * The same London wall-clock time N calendar months later; a day the month lacks becomes the month's last day
 * (31 January plus one month is 28 or 29 February), as "within 3 months" is read in practice.
 */
function addCalendarMonths(start: Date, months: number): Date {
  if (!Number.isInteger(months)) throw new RangeError(`calendar months must be whole, got ${months}`);
  const local = londonParts(start);
  const index = local.year * 12 + (local.month - 1) + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return londonInstant({ year, month, day: Math.min(local.day, lastDay) }, local);
}

function addCalendarDays(start: Date, days: number): Date {
  if (!Number.isInteger(days)) throw new RangeError(`calendar days must be whole, got ${days}`);
  const local = londonParts(start);
  return londonInstant(addCivilDays(local, days), local);
}

function addWorkingDays(start: Date, days: number, cal: WorkingDayCalendar): Date {
  if (!Number.isInteger(days)) throw new RangeError(`working days must be whole, got ${days}`);
  const local = londonParts(start);
  const onDay = (offset: number): Date => londonInstant(addCivilDays(local, offset), local);
  let offset = 0;
  const step = () => {
    offset += 1;
    if (offset > MAX_SCAN_DAYS) throw new RangeError('the calendar has no working days');
  };
  while (!cal.isWorkingDay(onDay(offset))) step();
  for (let counted = 0; counted < days;) {
    step();
    if (cal.isWorkingDay(onDay(offset))) counted += 1;
  }
  return onDay(offset);
}
