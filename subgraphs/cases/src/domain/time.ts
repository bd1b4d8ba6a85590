/** Event times as the case records keep them: ISO instants, compared as instants. */
import { utcInstantText } from '@mash/schema';

/**
 * The instants `iso` gave lately, by the text it was given: a run normalises each change's times and its case's
 * position times several times over (parsing and printing a date each time was about 4% of the cases stage's CPU).
 */
const recentInstants = new Map<string, string>();
const RECENT_INSTANTS = 4096;

export function iso(at: string): string {
  let instant = recentInstants.get(at);
  if (instant === undefined) {
    // Throws for a time that is no instant: nothing is kept.
    instant = utcInstantText(at) ?? new Date(at).toISOString();
    if (recentInstants.size >= RECENT_INSTANTS) recentInstants.clear();
    recentInstants.set(at, instant);
  }
  return instant;
}

/** True when `at` is strictly before `than`; false when `than` is null. */
export function isEarlier(at: string, than: string | null): boolean {
  return than !== null && Date.parse(at) < Date.parse(than);
}

/** A reported moment: when it happened and the status change that reported it. */
export interface Reported {
  readonly at: string;
  readonly statusChangeId: string;
}

/**
 * Orders reported moments by time, then by status change id, so that two reports of the same instant fall in the
 * same order whichever arrived first.
 */
export function compareReported(a: Reported, b: Reported): number {
  const byTime = Date.parse(a.at) - Date.parse(b.at);
  if (byTime !== 0) return byTime;
  return a.statusChangeId < b.statusChangeId ? -1 : a.statusChangeId > b.statusChangeId ? 1 : 0;
}
