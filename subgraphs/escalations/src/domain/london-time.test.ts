import { londonInstant, londonParts, LONDON } from './london-time';

// londonParts reads London's offset once per UTC hour; it must agree with Intl at every instant, clock changes
// included.

const reference = new Intl.DateTimeFormat('en-GB', {
  timeZone: LONDON,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  weekday: 'short',
  hourCycle: 'h23',
});
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

function intl(instant: Date) {
  const p = Object.fromEntries(reference.formatToParts(instant).map((x) => [x.type, x.value]));
  return {
    year: Number(p['year']),
    month: Number(p['month']),
    day: Number(p['day']),
    hour: Number(p['hour']),
    minute: Number(p['minute']),
    second: Number(p['second']),
    millisecond: instant.getUTCMilliseconds(),
    weekday: WEEKDAYS.indexOf(p['weekday']!),
  };
}

describe('London wall-clock time', () => {
  it('agrees with Intl every 17 minutes and 13 seconds from 2025 to 2028', () => {
    const wrong: string[] = [];
    for (let t = Date.parse('2025-01-01T00:00:00Z'); t < Date.parse('2028-01-01T00:00:00Z'); t += 1_033_000) {
      const at = new Date(t + (t % 997));
      if (JSON.stringify(londonParts(at)) !== JSON.stringify(intl(at))) wrong.push(at.toISOString());
    }
    expect(wrong).toEqual([]);
  });

  it.each([
    '2026-03-29T00:59:59.999Z',
    '2026-03-29T01:00:00.000Z',
    '2026-10-25T00:59:59.999Z',
    '2026-10-25T01:00:00.000Z',
    '2026-10-25T01:30:00.500Z',
    '1970-01-01T00:00:00.000Z',
    '1968-10-27T00:00:00.000Z',
    '2100-12-31T23:59:59.999Z',
  ])('agrees with Intl at %s, around a clock change or far from today', (iso) => {
    expect(londonParts(new Date(iso))).toEqual(intl(new Date(iso)));
  });

  it('throws a RangeError for an invalid date, as Intl does', () => {
    expect(() => londonParts(new Date(NaN))).toThrow(RangeError);
  });

  it('finds the instant of a London wall-clock time across both clock changes', () => {
    const t = { hour: 10, minute: 0, second: 0, millisecond: 0 };
    expect(londonInstant({ year: 2026, month: 3, day: 28 }, t).toISOString()).toBe(
      '2026-03-28T10:00:00.000Z',
    );
    expect(londonInstant({ year: 2026, month: 3, day: 30 }, t).toISOString()).toBe(
      '2026-03-30T09:00:00.000Z',
    );
    expect(londonInstant({ year: 2026, month: 10, day: 30 }, t).toISOString()).toBe(
      '2026-10-30T10:00:00.000Z',
    );
    // 01:30 on 29 March 2026 does not exist in London: an hour later.
    expect(
      londonInstant({ year: 2026, month: 3, day: 29 }, { ...t, hour: 1, minute: 30 }).toISOString(),
    ).toBe('2026-03-29T01:30:00.000Z');
  });
});
