import type { Threshold, Timescale } from '@mash/schema';
import { londonParts } from '../london-time';
import type { AgencyRef } from './finding';

/** How reasons put things: agencies by name, thresholds, timescales and dates in plain words. No personal data. */

export const THRESHOLD_WORDS: Record<Threshold, string> = {
  none: 'no threshold met',
  universal: 'universal',
  'early-help': 'early help',
  'child-in-need': 'child in need',
  'child-protection': 'child protection',
};

/** An agency as people read it: its name, or "agency <id>" when the directory has none. */
export function agencyNamer(agencies: readonly Pick<AgencyRef, 'id' | 'name'>[]): (id: string) => string {
  const names = new Map(agencies.map((a) => [a.id, a.name]));
  return (id) => names.get(id) ?? `agency ${id}`;
}

/** The first letter upper-cased, so a sentence that starts with a name or "agency <id>" reads as one. */
export function sentence(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

const UNIT_WORDS: Record<Timescale['unit'], [string, string]> = {
  hours: ['hour', 'hours'],
  'calendar-days': ['day', 'days'],
  'working-days': ['working day', 'working days'],
  'calendar-months': ['month', 'months'],
};

/** "15 working days", "3 months", "1 day". */
export function timescaleWords(t: Pick<Timescale, 'amount' | 'unit'>): string {
  const [one, many] = UNIT_WORDS[t.unit];
  return `${t.amount} ${t.amount === 1 ? one : many}`;
}

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** The London calendar date of an instant: "23 March 2026". */
export function dateWords(instant: Date): string {
  const p = londonParts(instant);
  return `${p.day} ${MONTHS[p.month - 1] ?? '?'} ${p.year}`;
}

/** "once", "twice", "3 times". */
export function times(n: number): string {
  return n === 1 ? 'once' : n === 2 ? 'twice' : `${n} times`;
}
