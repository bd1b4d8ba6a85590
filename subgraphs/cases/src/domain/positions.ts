import type { AgencyPositionSnapshot, ReferralOutcome, StatusChangeMessage, Threshold } from '@mash/schema';
import { iso, isEarlier } from './time';

/**
 * The threshold a referral outcome implies when the change names none: a referral that ends in "no further
 * action" leaves the child at universal services; a strategy discussion means the agency judges child protection.
 */
export const THRESHOLD_IMPLIED_BY_REFERRAL_OUTCOME: Readonly<Record<ReferralOutcome, Threshold>> = {
  'no-further-action': 'universal',
  'early-help': 'early-help',
  'child-in-need': 'child-in-need',
  'strategy-discussion': 'child-protection',
  'child-protection': 'child-protection',
};

/**
 * An agency's position with two times per part: when it was last reported (`*AsOf`), so that a late, older report
 * cannot undo a newer one, and since when its current value has held (`*Since`), so that repeating a judgement
 * does not make it look new. Both are null for a part never set.
 */
export interface AgencyPosition extends AgencyPositionSnapshot {
  readonly thresholdAsOf: string | null;
  readonly thresholdSince: string | null;
  readonly riskAsOf: string | null;
  readonly riskSince: string | null;
  readonly referralAsOf: string | null;
  readonly referralSince: string | null;
}

/** The agency's involvement in a case, as its status changes describe it. */
export interface InvolvementState {
  readonly agencyId: string;
  readonly localReference: string | null;
  readonly open: boolean;
  /** When the current spell of involvement began. */
  readonly since: string;
  /** When the open/closed state was last reported. */
  readonly openAsOf: string;
}

function later(a: string, b: string): string {
  return Date.parse(a) >= Date.parse(b) ? iso(a) : iso(b);
}

type PartTime =
  'thresholdAsOf' | 'thresholdSince' | 'riskAsOf' | 'riskSince' | 'referralAsOf' | 'referralSince';

function withPartTimes(position: AgencyPositionSnapshot | AgencyPosition): AgencyPosition {
  // A bare snapshot knows one time for the whole position: use it for every part it has set. A part with no
  // held-since time of its own (a record from before it was kept) has held its value since it was last reported.
  const time = (key: PartTime): string | null => (position as Partial<AgencyPosition>)[key] ?? null;
  const asOf = (key: PartTime, isSet: boolean): string | null =>
    key in position ? time(key) : isSet ? position.asOf : null;
  const thresholdAsOf = asOf('thresholdAsOf', position.threshold !== null);
  const riskAsOf = asOf('riskAsOf', position.riskLevel !== null);
  const referralAsOf = asOf('referralAsOf', position.referralOutcome !== null);
  return {
    ...position,
    thresholdAsOf,
    thresholdSince: time('thresholdSince') ?? thresholdAsOf,
    riskAsOf,
    riskSince: time('riskSince') ?? riskAsOf,
    referralAsOf,
    referralSince: time('referralSince') ?? referralAsOf,
  };
}

function emptyPosition(agencyId: string, at: string): AgencyPosition {
  return {
    agencyId,
    threshold: null,
    thresholdStatusChangeId: null,
    thresholdAsOf: null,
    thresholdSince: null,
    riskLevel: null,
    riskStatusChangeId: null,
    riskAsOf: null,
    riskSince: null,
    referralOutcome: null,
    referralStatusChangeId: null,
    referralAsOf: null,
    referralSince: null,
    asOf: iso(at),
  };
}

/** One part of a position as reported: its value, when it was last reported, and since when the value has held. */
interface Part<T> {
  readonly value: T | null;
  readonly asOf: string | null;
  readonly since: string | null;
}

/**
 * One part after a report of `value` at `at`, or null when the report leaves the part alone. A report as new as
 * the last one sets the part; the value has held since then unless the report repeats the current value, which
 * has held since it was first reported. A late, older report repeating the current value shows it held from
 * earlier; a late, older report of another value is ignored.
 */
function reportPart<T>(
  part: Part<T>,
  value: T,
  at: string,
): { asOf: string; since: string } | 'earlier-same' | null {
  const same = part.value !== null && part.value === value;
  if (isEarlier(at, part.asOf)) return same && isEarlier(at, part.since) ? 'earlier-same' : null;
  return { asOf: at, since: same && part.since !== null ? part.since : at };
}

/**
 * The agency's position after one of its status changes. `facts.threshold` sets the threshold judgement;
 * `facts.referralOutcome` sets the referral outcome and, when the change names no threshold, the threshold it
 * implies; `facts.riskLevel` sets the risk. Each part keeps the id of the change that last set it, when it was last
 * set (`*AsOf`) and since when its value has held (`*Since`). A change that occurred before a part was last set
 * leaves that part alone (events arrive late and out of order), except that a late repeat of the current value
 * moves the held-since time back to it.
 */
export function applyStatusChange(
  position: AgencyPositionSnapshot | AgencyPosition | undefined,
  change: StatusChangeMessage,
): AgencyPosition {
  if (position && position.agencyId !== change.agencyId) {
    throw new Error(`status change ${change.id} is from agency ${change.agencyId}, not ${position.agencyId}`);
  }
  const current = position ? withPartTimes(position) : emptyPosition(change.agencyId, change.occurredAt);
  const at = iso(change.occurredAt);
  const { facts } = change;
  const threshold =
    facts.threshold ??
    (facts.referralOutcome ? THRESHOLD_IMPLIED_BY_REFERRAL_OUTCOME[facts.referralOutcome] : undefined);

  let next: AgencyPosition = { ...current, asOf: later(current.asOf, at) };
  if (threshold !== undefined) {
    const part = { value: current.threshold, asOf: current.thresholdAsOf, since: current.thresholdSince };
    const r = reportPart(part, threshold, at);
    if (r === 'earlier-same') next = { ...next, thresholdSince: at };
    else if (r) {
      next = {
        ...next,
        threshold,
        thresholdStatusChangeId: change.id,
        thresholdAsOf: r.asOf,
        thresholdSince: r.since,
      };
    }
  }
  if (facts.riskLevel !== undefined) {
    const part = { value: current.riskLevel, asOf: current.riskAsOf, since: current.riskSince };
    const r = reportPart(part, facts.riskLevel, at);
    if (r === 'earlier-same') next = { ...next, riskSince: at };
    else if (r) {
      next = {
        ...next,
        riskLevel: facts.riskLevel,
        riskStatusChangeId: change.id,
        riskAsOf: r.asOf,
        riskSince: r.since,
      };
    }
  }
  if (facts.referralOutcome !== undefined) {
    const part = { value: current.referralOutcome, asOf: current.referralAsOf, since: current.referralSince };
    const r = reportPart(part, facts.referralOutcome, at);
    if (r === 'earlier-same') next = { ...next, referralSince: at };
    else if (r) {
      next = {
        ...next,
        referralOutcome: facts.referralOutcome,
        referralStatusChangeId: change.id,
        referralAsOf: r.asOf,
        referralSince: r.since,
      };
    }
  }
  return next;
}

/**
 * The agency's involvement after one of its status changes: reporting on the subject makes (or keeps) the agency
 * involved, `facts.closed` closes its involvement, and a change older than the last open/closed report cannot
 * reopen or close it. The agency's own reference is kept once known.
 */
export function involvementAfter(change: StatusChangeMessage, current?: InvolvementState): InvolvementState {
  if (current && current.agencyId !== change.agencyId) {
    throw new Error(`status change ${change.id} is from agency ${change.agencyId}, not ${current.agencyId}`);
  }
  const at = iso(change.occurredAt);
  const closes = change.facts.closed === true;
  const localReference = current?.localReference ?? change.facts.reference ?? null;
  if (!current) {
    return { agencyId: change.agencyId, localReference, open: !closes, since: at, openAsOf: at };
  }
  if (isEarlier(at, current.openAsOf)) {
    // A late report of an earlier time: it may show the current spell began earlier, nothing more.
    const since = current.open && !closes && isEarlier(at, current.since) ? at : current.since;
    return { ...current, localReference, since };
  }
  const open = !closes;
  return {
    agencyId: current.agencyId,
    localReference,
    open,
    since: open && !current.open ? at : current.since,
    openAsOf: at,
  };
}
