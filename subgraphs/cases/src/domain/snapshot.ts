import type { AgencyPositionSnapshot, CaseSnapshot } from '@mash/schema';

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
 * order, holding only the snapshot's fields (whatever richer records the caller passes in).
 */
export function buildSnapshot(
  header: CaseHeader,
  involvements: readonly { readonly agencyId: string; readonly open: boolean }[],
  positions: readonly AgencyPositionSnapshot[],
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
      riskLevel: p.riskLevel,
      riskStatusChangeId: p.riskStatusChangeId,
      referralOutcome: p.referralOutcome,
      referralStatusChangeId: p.referralStatusChangeId,
      asOf: p.asOf,
    })),
  };
}
