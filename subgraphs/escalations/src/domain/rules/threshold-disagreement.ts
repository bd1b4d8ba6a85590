import {
  thresholdRank,
  type AgencyPositionSnapshot,
  type CaseSnapshot,
  type Threshold,
  type ThresholdDisagreementPolicy,
} from '@mash/schema';
import type { Finding } from './finding';

const GROUND = 'threshold-disagreement';

const THRESHOLD_WORDS: Record<Threshold, string> = {
  none: 'no threshold met',
  universal: 'universal',
  'early-help': 'early help',
  'child-in-need': 'child in need',
  'child-protection': 'child protection',
};

/**
 * DOMAIN.md trigger 1, cross-agency disagreement. Among agencies with an open involvement:
 * - two agencies whose current threshold judgements are at least `minimumSteps` apart on the ladder: the agency
 *   judging the higher threshold (the one concerned) raises to the one judging the lower;
 * - with `highRiskNoFurtherAction`, an agency rating the risk high raises to another agency whose referral
 *   ended in no further action.
 * Findings for the same raising and receiving agencies merge (evidence united, the latest `since`).
 */
export function findThresholdDisagreements(
  snapshot: CaseSnapshot,
  policy: ThresholdDisagreementPolicy,
): Finding[] {
  if (!policy.enabled) return [];
  const open = new Set(snapshot.involvements.filter((i) => i.open).map((i) => i.agencyId));
  const positions = snapshot.positions.filter((p) => open.has(p.agencyId));
  const found: Finding[] = [];
  for (const a of positions) {
    for (const b of positions) {
      if (a.agencyId === b.agencyId) continue;
      const apart = stepsAbove(a, b);
      if (apart !== null && apart.steps >= Math.max(1, policy.minimumSteps)) {
        found.push({
          ground: GROUND,
          raisingAgencyId: a.agencyId,
          receivingAgencyId: b.agencyId,
          evidence: ids(a.thresholdStatusChangeId, b.thresholdStatusChangeId),
          since: later(a, b),
          reason:
            `Agency ${a.agencyId} judges ${THRESHOLD_WORDS[apart.higher]}; agency ${b.agencyId} judges ` +
            `${THRESHOLD_WORDS[apart.lower]} (${apart.steps} ${apart.steps === 1 ? 'step' : 'steps'} apart).`,
        });
      }
      if (
        policy.highRiskNoFurtherAction &&
        a.riskLevel === 'high' &&
        b.referralOutcome === 'no-further-action'
      ) {
        found.push({
          ground: GROUND,
          raisingAgencyId: a.agencyId,
          receivingAgencyId: b.agencyId,
          evidence: ids(a.riskStatusChangeId, b.referralStatusChangeId),
          since: later(a, b),
          reason: `Agency ${a.agencyId} rates the risk high; agency ${b.agencyId} ended its referral with no further action.`,
        });
      }
    }
  }
  return merge(found);
}

/** How far `a` judges above `b` on the ladder; null when either has no judgement or `a` is not higher. */
function stepsAbove(
  a: AgencyPositionSnapshot,
  b: AgencyPositionSnapshot,
): { steps: number; higher: Threshold; lower: Threshold } | null {
  if (a.threshold === null || b.threshold === null) return null;
  const steps = thresholdRank(a.threshold) - thresholdRank(b.threshold);
  return steps > 0 ? { steps, higher: a.threshold, lower: b.threshold } : null;
}

function ids(...values: (string | null)[]): string[] {
  return values.filter((v): v is string => v !== null);
}

function later(a: AgencyPositionSnapshot, b: AgencyPositionSnapshot): Date {
  return new Date(Math.max(Date.parse(a.asOf), Date.parse(b.asOf)));
}

function merge(findings: readonly Finding[]): Finding[] {
  const byPair = new Map<string, Finding>();
  for (const f of findings) {
    const key = `${f.raisingAgencyId}\u0000${f.receivingAgencyId}`;
    const seen = byPair.get(key);
    byPair.set(
      key,
      seen
        ? {
            ...seen,
            evidence: [...new Set([...seen.evidence, ...f.evidence])],
            since: seen.since >= f.since ? seen.since : f.since,
            reason: `${seen.reason} ${f.reason}`,
          }
        : f,
    );
  }
  return [...byPair.values()].sort(
    (x, y) =>
      x.raisingAgencyId.localeCompare(y.raisingAgencyId) ||
      x.receivingAgencyId.localeCompare(y.receivingAgencyId),
  );
}
