import type { AgencyPositionSnapshot, ReferralOutcome, StatusChangeMessage, Threshold } from '@mash/schema';

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

/** An agency's position with the time each part was last set, so that a late, older report cannot undo a newer one. */
export interface AgencyPosition extends AgencyPositionSnapshot {
  readonly thresholdAsOf: string | null;
  readonly riskAsOf: string | null;
  readonly referralAsOf: string | null;
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

function iso(at: string): string {
  return new Date(at).toISOString();
}

function isEarlier(at: string, than: string | null): boolean {
  return than !== null && Date.parse(at) < Date.parse(than);
}

function later(a: string, b: string): string {
  return Date.parse(a) >= Date.parse(b) ? iso(a) : iso(b);
}

function withPartTimes(position: AgencyPositionSnapshot | AgencyPosition): AgencyPosition {
  // A bare snapshot knows one time for the whole position: use it for every part it has set.
  const part = (key: 'thresholdAsOf' | 'riskAsOf' | 'referralAsOf', isSet: boolean): string | null =>
    key in position ? (position as AgencyPosition)[key] : isSet ? position.asOf : null;
  return {
    ...position,
    thresholdAsOf: part('thresholdAsOf', position.threshold !== null),
    riskAsOf: part('riskAsOf', position.riskLevel !== null),
    referralAsOf: part('referralAsOf', position.referralOutcome !== null),
  };
}

function emptyPosition(agencyId: string, at: string): AgencyPosition {
  return {
    agencyId,
    threshold: null,
    thresholdStatusChangeId: null,
    thresholdAsOf: null,
    riskLevel: null,
    riskStatusChangeId: null,
    riskAsOf: null,
    referralOutcome: null,
    referralStatusChangeId: null,
    referralAsOf: null,
    asOf: iso(at),
  };
}

/**
 * The agency's position after one of its status changes. `facts.threshold` sets the threshold judgement;
 * `facts.referralOutcome` sets the referral outcome and, when the change names no threshold, the threshold it
 * implies; `facts.riskLevel` sets the risk. Each part keeps the id of the change that set it, and a change that
 * occurred before a part was last set leaves that part alone (events arrive late and out of order).
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
  if (threshold !== undefined && !isEarlier(at, current.thresholdAsOf)) {
    next = { ...next, threshold, thresholdStatusChangeId: change.id, thresholdAsOf: at };
  }
  if (facts.riskLevel !== undefined && !isEarlier(at, current.riskAsOf)) {
    next = { ...next, riskLevel: facts.riskLevel, riskStatusChangeId: change.id, riskAsOf: at };
  }
  if (facts.referralOutcome !== undefined && !isEarlier(at, current.referralAsOf)) {
    next = {
      ...next,
      referralOutcome: facts.referralOutcome,
      referralStatusChangeId: change.id,
      referralAsOf: at,
    };
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
