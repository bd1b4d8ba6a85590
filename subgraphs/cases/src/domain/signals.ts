import {
  SIGNAL_HORIZON_DAYS,
  SIGNAL_LIMIT,
  SIGNAL_STATUS_CHANGE_KINDS,
  type CaseSignalSnapshot,
  type StatusChangeMessage,
} from '@mash/schema';
import { iso } from './time';

/** A signal on the case's timeline, with the time it was received (the timeline's second sort key). */
export interface SignalEntry extends CaseSignalSnapshot {
  readonly receivedAt: string;
}

const DAY_MS = 24 * 60 * 60 * 1000;

export function isSignalKind(kind: string): boolean {
  return (SIGNAL_STATUS_CHANGE_KINDS as readonly string[]).includes(kind);
}

/** Timeline order: newest first by event time, then by time received, then by id. */
export function compareSignals(a: SignalEntry, b: SignalEntry): number {
  return (
    Date.parse(b.occurredAt) - Date.parse(a.occurredAt) ||
    Date.parse(b.receivedAt) - Date.parse(a.receivedAt) ||
    (a.statusChangeId < b.statusChangeId ? -1 : a.statusChangeId > b.statusChangeId ? 1 : 0)
  );
}

/**
 * The case's signals: its status changes of the signal kinds whose event time is within `SIGNAL_HORIZON_DAYS` days
 * of the newest one's (inclusive), in timeline order, at most `SIGNAL_LIMIT`.
 */
export function signalWindow(entries: Iterable<SignalEntry>): SignalEntry[] {
  const sorted = [...entries].sort(compareSignals);
  const newest = sorted[0];
  if (!newest) return [];
  const horizon = Date.parse(newest.occurredAt) - SIGNAL_HORIZON_DAYS * DAY_MS;
  return sorted.filter((s) => Date.parse(s.occurredAt) >= horizon).slice(0, SIGNAL_LIMIT);
}

/** The signals after a status change joined the timeline (unchanged when it is not a signal, or already there). */
export function addSignal(
  signals: readonly SignalEntry[],
  change: StatusChangeMessage,
): readonly SignalEntry[] {
  if (!isSignalKind(change.kind) || signals.some((s) => s.statusChangeId === change.id)) return signals;
  return signalWindow([
    ...signals,
    {
      statusChangeId: change.id,
      agencyId: change.agencyId,
      family: change.family,
      kind: change.kind,
      occurredAt: iso(change.occurredAt),
      receivedAt: iso(change.receivedAt),
      facts: change.facts,
    },
  ]);
}

/** The snapshot's form: without the received time. */
export function signalSnapshots(signals: readonly SignalEntry[]): CaseSignalSnapshot[] {
  return signals.map((s) => ({
    statusChangeId: s.statusChangeId,
    agencyId: s.agencyId,
    family: s.family,
    kind: s.kind,
    occurredAt: s.occurredAt,
    facts: s.facts,
  }));
}
