import type { CaseSnapshot, StatusChangeMessage } from '@mash/schema';
import {
  applyChildProtection,
  childProtectionSnapshot,
  type ChildProtectionRecord,
} from './child-protection';
import { applyPlans, planSnapshots, type PlanRecord } from './plans';
import { applyStatusChange, involvementAfter, type AgencyPosition, type InvolvementState } from './positions';
import { addSignal, signalSnapshots, type SignalEntry } from './signals';
import { buildSnapshot, type CaseHeader } from './snapshot';

/** Everything a case event's snapshot is built from, as it stands between two status changes. */
export interface CaseState {
  readonly header: CaseHeader;
  readonly involvements: ReadonlyMap<string, InvolvementState>;
  readonly positions: ReadonlyMap<string, AgencyPosition>;
  readonly childProtection: ChildProtectionRecord | null;
  /** By `planKey`. */
  readonly plans: ReadonlyMap<string, PlanRecord>;
  /** The signal window (`signalWindow`), newest first. */
  readonly signals: readonly SignalEntry[];
}

/** What one status change moved, so that the caller writes only that. */
export interface CaseChanges {
  readonly agencyId: string;
  readonly childProtection: boolean;
  readonly plans: readonly string[];
}

/** The case after one status change that has just joined its timeline, and what it moved. */
export function applyToCase(
  state: CaseState,
  change: StatusChangeMessage,
): { state: CaseState; changes: CaseChanges } {
  const involvements = new Map(state.involvements);
  involvements.set(change.agencyId, involvementAfter(change, state.involvements.get(change.agencyId)));
  const positions = new Map(state.positions);
  positions.set(change.agencyId, applyStatusChange(state.positions.get(change.agencyId), change));
  const childProtection = applyChildProtection(state.childProtection, change);
  const plans = applyPlans(state.plans, change);
  return {
    state: {
      header: state.header,
      involvements,
      positions,
      childProtection,
      plans: plans.plans,
      signals: addSignal(state.signals, change),
    },
    changes: {
      agencyId: change.agencyId,
      childProtection: childProtection !== state.childProtection,
      plans: plans.changed,
    },
  };
}

/** The case event's snapshot of a case state. */
export function snapshotOf(state: CaseState): CaseSnapshot {
  return buildSnapshot(state.header, [...state.involvements.values()], [...state.positions.values()], {
    childProtection: childProtectionSnapshot(state.childProtection),
    plans: planSnapshots(state.plans.values()),
    signals: signalSnapshots(state.signals),
  });
}
