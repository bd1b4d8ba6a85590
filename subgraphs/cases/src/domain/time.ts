/** Event times as the case records keep them: ISO instants, compared as instants. */

export function iso(at: string): string {
  return new Date(at).toISOString();
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
