import Holidays from 'date-holidays';
import { civilDateKey, londonParts } from './london-time';
import type { WorkingDayCalendar } from './calendar';

/**
 * Weekends and England and Wales bank holidays (date-holidays, region GB-ENG, public holidays only, with
 * substitute days). Days are judged by the London calendar date of the instant.
 */
export function englandAndWalesCalendar(): WorkingDayCalendar {
  const holidays = new Holidays('GB', 'ENG');
  const byYear = new Map<number, ReadonlySet<string>>();
  const bankHolidays = (year: number): ReadonlySet<string> => {
    let days = byYear.get(year);
    if (!days) {
      days = new Set(
        holidays
          .getHolidays(year)
          .filter((h) => h.type === 'public')
          .map((h) => h.date.slice(0, 10)),
      );
      byYear.set(year, days);
    }
    return days;
  };
  return {
    isWorkingDay(date: Date): boolean {
      const local = londonParts(date);
      if (local.weekday === 0 || local.weekday === 6) return false;
      return !bankHolidays(local.year).has(civilDateKey(local));
    },
  };
}

let englandAndWales: WorkingDayCalendar | undefined;

/** The working-day calendar a policy names (one shared instance each). */
export function calendarFor(name: 'england-and-wales'): WorkingDayCalendar {
  switch (name) {
    case 'england-and-wales':
      englandAndWales ??= englandAndWalesCalendar();
      return englandAndWales;
  }
}
