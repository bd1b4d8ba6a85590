import type { CaseSignalSnapshot, CaseSnapshot, ChildProtectionSnapshot, PlanSnapshot } from '@mash/schema';
import type { AgencyPosition } from './positions';

/** The parts of the snapshot beyond the positions: the child protection process, plans and signals. */
export interface SnapshotRecords {
  readonly childProtection: ChildProtectionSnapshot | null;
  readonly plans: readonly PlanSnapshot[];
  readonly signals: readonly CaseSignalSnapshot[];
}

const NO_RECORDS: SnapshotRecords = { childProtection: null, plans: [], signals: [] };

export interface CaseHeader {
  readonly id: string;
  readonly partnershipId: string;
  readonly subjectId: string;
  readonly status: 'open' | 'closed';
}

const byAgency = (a: { agencyId: string }, b: { agencyId: string }): number =>
  a.agencyId < b.agencyId ? -1 : a.agencyId > b.agencyId ? 1 : 0;

/**
 * The case as it stands, as carried by every case event: every involvement and every agency position, in agency
 * order, holding only the snapshot's fields (whatever richer records the caller passes in). Each position carries,
 * for its threshold, risk and referral parts, the stored time each was last set and since when its value has held,
 * so the escalation engine can tell how long a disagreement has lasted from when the values in dispute took hold,
 * rather than from the position's latest change or an agency's latest repeat of the same judgement. The child
 * protection process, plans and signals are passed in as the snapshot carries them (none by default).
 */
export function buildSnapshot(
  header: CaseHeader,
  involvements: readonly { readonly agencyId: string; readonly open: boolean }[],
  positions: readonly AgencyPosition[],
  records: SnapshotRecords = NO_RECORDS,
): CaseSnapshot {
  return {
    id: header.id,
    partnershipId: header.partnershipId,
    subjectId: header.subjectId,
    status: header.status,
    involvements: [...involvements].sort(byAgency).map((i) => ({ agencyId: i.agencyId, open: i.open })),
    positions: [...positions].sort(byAgency).map((p) => ({
      agencyId: p.agencyId,
      threshold: p.threshold,
      thresholdStatusChangeId: p.thresholdStatusChangeId,
      thresholdAsOf: p.thresholdAsOf,
      thresholdSince: p.thresholdSince,
      riskLevel: p.riskLevel,
      riskStatusChangeId: p.riskStatusChangeId,
      riskAsOf: p.riskAsOf,
      riskSince: p.riskSince,
      referralOutcome: p.referralOutcome,
      referralStatusChangeId: p.referralStatusChangeId,
      referralAsOf: p.referralAsOf,
      referralSince: p.referralSince,
      asOf: p.asOf,
    })),
    childProtection: records.childProtection,
    plans: [...records.plans],
    signals: [...records.signals],
  };
}
