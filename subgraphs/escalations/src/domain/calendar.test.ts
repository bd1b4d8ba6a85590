import type { Timescale } from '@mash/schema';
import { addTimescale, type WorkingDayCalendar } from './calendar';
import { englandAndWalesCalendar } from './calendars';

const workingDays = (amount: number): Timescale => ({ amount, unit: 'working-days' });
const calendar = englandAndWalesCalendar();
/** Monday to Friday in London, no bank holidays. */
const weekdaysOnly: WorkingDayCalendar = {
  isWorkingDay: (d) =>
    !['Sat', 'Sun'].includes(d.toLocaleDateString('en-GB', { weekday: 'short', timeZone: 'Europe/London' })),
};

describe('England and Wales working-day calendar', () => {
  it.each([
    ['Christmas Day 2026', '2026-12-25T10:00:00Z'],
    ['Boxing Day 2026 (a Saturday)', '2026-12-26T10:00:00Z'],
    ['the Boxing Day substitute day, Monday 28 December 2026', '2026-12-28T10:00:00Z'],
    ['Good Friday 2026', '2026-04-03T09:00:00Z'],
    ['Easter Monday 2026', '2026-04-06T09:00:00Z'],
    ['New Year’s Day 2027', '2027-01-01T10:00:00Z'],
    ['a Sunday', '2026-06-14T10:00:00Z'],
  ])('treats %s as a non-working day', (_name, iso) => {
    expect(calendar.isWorkingDay(new Date(iso))).toBe(false);
  });

  it.each([
    ['Christmas Eve 2026', '2026-12-24T10:00:00Z'],
    ['Tuesday 29 December 2026', '2026-12-29T10:00:00Z'],
    ['Maundy Thursday 2026', '2026-04-02T09:00:00Z'],
    ['an ordinary Wednesday', '2026-06-10T10:00:00Z'],
  ])('treats %s as a working day', (_name, iso) => {
    expect(calendar.isWorkingDay(new Date(iso))).toBe(true);
  });

  it('judges the day in London time, not UTC (23:30 UTC on a summer Friday is already Saturday in London)', () => {
    expect(calendar.isWorkingDay(new Date('2026-06-12T22:59:00Z'))).toBe(true);
    expect(calendar.isWorkingDay(new Date('2026-06-12T23:30:00Z'))).toBe(false);
  });
});

describe('adding a timescale', () => {
  it('adds plain hours across a weekend', () => {
    expect(addTimescale(new Date('2026-06-12T15:00:00Z'), { amount: 48, unit: 'hours' }, calendar)).toEqual(
      new Date('2026-06-14T15:00:00Z'),
    );
  });

  it('adds calendar days as London civil days: 7 days from 10:00 GMT before the spring change is 10:00 BST', () => {
    // Friday 27 March 2026 10:00 GMT + 7 calendar days = Friday 3 April 10:00 BST (09:00 UTC).
    expect(
      addTimescale(new Date('2026-03-27T10:00:00Z'), { amount: 7, unit: 'calendar-days' }, calendar),
    ).toEqual(new Date('2026-04-03T09:00:00Z'));
  });

  it('keeps the London wall-clock time when calendar days cross the last Sunday of October', () => {
    // Friday 23 October 2026 10:00 BST (09:00 UTC) + 7 calendar days = Friday 30 October 10:00 GMT, across
    // Sunday 25 October, when the clocks go back: 7 × 24 + 1 hours.
    expect(
      addTimescale(new Date('2026-10-23T09:00:00Z'), { amount: 7, unit: 'calendar-days' }, calendar),
    ).toEqual(new Date('2026-10-30T10:00:00Z'));
  });

  it('counts calendar days through weekends and bank holidays', () => {
    // Wednesday 23 December 2026 10:00 GMT + 3 calendar days = Saturday 26 December 10:00 GMT.
    expect(
      addTimescale(new Date('2026-12-23T10:00:00Z'), { amount: 3, unit: 'calendar-days' }, calendar),
    ).toEqual(new Date('2026-12-26T10:00:00Z'));
  });

  it('skips the weekend: Friday 15:00 plus one working day is Monday 15:00', () => {
    expect(addTimescale(new Date('2026-06-12T14:00:00Z'), workingDays(1), calendar)).toEqual(
      new Date('2026-06-15T14:00:00Z'),
    );
  });

  it('counts from the next working day when started at the weekend: Saturday plus one working day is Tuesday', () => {
    expect(addTimescale(new Date('2026-06-13T09:00:00Z'), workingDays(1), calendar)).toEqual(
      new Date('2026-06-16T09:00:00Z'),
    );
  });

  it('moves a zero-working-day timescale started on a Sunday to Monday at the same time', () => {
    expect(addTimescale(new Date('2026-06-14T09:00:00Z'), workingDays(0), calendar)).toEqual(
      new Date('2026-06-15T09:00:00Z'),
    );
  });

  it('skips Christmas Day and the Boxing Day substitute day in 2026', () => {
    // Wednesday 23 Dec 10:00 → Thu 24 (1), Fri 25 holiday, weekend, Mon 28 substitute, Tue 29 (2).
    expect(addTimescale(new Date('2026-12-23T10:00:00Z'), workingDays(2), calendar)).toEqual(
      new Date('2026-12-29T10:00:00Z'),
    );
  });

  it('skips Good Friday and Easter Monday 2026', () => {
    // Thursday 2 April 09:00 BST → Fri 3 Good Friday, weekend, Mon 6 Easter Monday, Tue 7 (1).
    expect(addTimescale(new Date('2026-04-02T08:00:00Z'), workingDays(1), calendar)).toEqual(
      new Date('2026-04-07T08:00:00Z'),
    );
  });

  it('keeps the London wall-clock time across the spring clock change', () => {
    // Friday 27 March 2026 10:00 GMT + 1 working day = Monday 30 March 10:00 BST (09:00 UTC).
    expect(addTimescale(new Date('2026-03-27T10:00:00Z'), workingDays(1), calendar)).toEqual(
      new Date('2026-03-30T09:00:00Z'),
    );
  });

  it('keeps the London wall-clock time across the autumn clock change', () => {
    // Friday 23 October 2026 10:00 BST (09:00 UTC) + 5 working days = Friday 30 October 10:00 GMT.
    expect(addTimescale(new Date('2026-10-23T09:00:00Z'), workingDays(5), calendar)).toEqual(
      new Date('2026-10-30T10:00:00Z'),
    );
  });

  it('uses whatever calendar it is given', () => {
    // Without bank holidays, Wednesday 23 Dec + 2 working days is Friday 25 Dec.
    expect(addTimescale(new Date('2026-12-23T10:00:00Z'), workingDays(2), weekdaysOnly)).toEqual(
      new Date('2026-12-25T10:00:00Z'),
    );
  });

  it('rejects negative and fractional working days', () => {
    expect(() => addTimescale(new Date(), workingDays(-1), calendar)).toThrow(RangeError);
    expect(() => addTimescale(new Date(), workingDays(1.5), calendar)).toThrow(RangeError);
  });

  it('rejects fractional calendar days (policies hold whole days)', () => {
    expect(() => addTimescale(new Date(), { amount: 1.5, unit: 'calendar-days' }, calendar)).toThrow(
      RangeError,
    );
  });

  it('gives up rather than loop for ever on a calendar without working days', () => {
    expect(() => addTimescale(new Date(), workingDays(1), { isWorkingDay: () => false })).toThrow(RangeError);
  });
});
