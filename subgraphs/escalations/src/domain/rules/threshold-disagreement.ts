import {
  thresholdRank,
  type AgencyPositionSnapshot,
  type CaseSnapshot,
  type Threshold,
  type ThresholdDisagreementPolicy,
} from '@mash/schema';
import { addTimescale } from '../calendar';
import type { Finding, Rule } from './finding';
import { sentence, THRESHOLD_WORDS } from './words';

const GROUND = 'threshold-disagreement';

/** A disagreement as found, before its grace period gives it a due time. */
export type Disagreement = Omit<Finding, 'dueAt' | 'concern'>;

/**
 * The registry's rule: the disagreements, each due a grace period after it began. Two reasons between the same
 * agencies (thresholds apart, and high risk against no further action) are one finding, due when the first of
 * them has outlasted its grace period: a second reason appearing does not put off raising the first.
 */
export const thresholdDisagreementRule: Rule<'threshold-disagreement'> = (snapshot, trigger, ctx) =>
  merge(
    disagreements(snapshot, trigger, new Map(ctx.agencies.map((a) => [a.id, a.name]))).map((d) => ({
      ...d,
      dueAt: addTimescale(d.since, trigger.gracePeriod, ctx.calendar),
    })),
  );

/**
 * docs/DOMAIN.md#cross-agency-disagreement, between a raising agency (the one concerned) and a receiving one:
 * - two agencies whose current threshold judgements are at least `minimumSteps` apart on the ladder: the agency
 *   judging the higher threshold raises to the one judging the lower;
 * - with `highRiskNoFurtherAction`, an agency rating the risk high raises to another agency whose referral
 *   ended in no further action.
 * The raising agency must still be involved (an open involvement): an agency that has closed its own involvement
 * no longer holds the concern. The receiving agency need only be involved in the case, open or closed: closing
 * the case after "no further action" is often exactly what the concerned agency disputes.
 * `since` is when the later of the two values compared took hold (`thresholdSince`, `riskSince`, `referralSince`,
 * each falling back to the part's `*AsOf` and then to the position's `asOf`), so the grace period counts from when
 * the disagreement last began: an agency repeating the same judgement does not restart it.
 * Findings for the same raising and receiving agencies merge (evidence united, the latest `since`).
 */
export function findThresholdDisagreements(
  snapshot: CaseSnapshot,
  policy: ThresholdDisagreementPolicy,
  agencyNames: ReadonlyMap<string, string> = new Map(),
): Disagreement[] {
  return merge(disagreements(snapshot, policy, agencyNames));
}

/** Every reason for every pair, unmerged. */
function disagreements(
  snapshot: CaseSnapshot,
  policy: ThresholdDisagreementPolicy,
  agencyNames: ReadonlyMap<string, string>,
): Disagreement[] {
  if (!policy.enabled) return [];
  /** An agency as people read it: its name, or "agency <id>" when the directory has none. */
  const name = (id: string) => agencyNames.get(id) ?? `agency ${id}`;
  const involved = new Set(snapshot.involvements.map((i) => i.agencyId));
  const open = new Set(snapshot.involvements.filter((i) => i.open).map((i) => i.agencyId));
  const positions = snapshot.positions.filter((p) => involved.has(p.agencyId));
  const found: Disagreement[] = [];
  for (const a of positions) {
    if (!open.has(a.agencyId)) continue; // only an agency still involved raises
    for (const b of positions) {
      if (a.agencyId === b.agencyId) continue;
      const apart = stepsAbove(a, b);
      if (apart !== null && apart.steps >= Math.max(1, policy.minimumSteps)) {
        found.push({
          ground: GROUND,
          raisingAgencyId: a.agencyId,
          receivingAgencyId: b.agencyId,
          evidence: ids(a.thresholdStatusChangeId, b.thresholdStatusChangeId),
          since: later(heldSince(a, 'threshold'), heldSince(b, 'threshold')),
          reason:
            sentence(`${name(a.agencyId)} judges ${THRESHOLD_WORDS[apart.higher]}; `) +
            `${name(b.agencyId)} judges ${THRESHOLD_WORDS[apart.lower]} ` +
            `(${apart.steps} ${apart.steps === 1 ? 'step' : 'steps'} apart).`,
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
          since: later(heldSince(a, 'risk'), heldSince(b, 'referral')),
          reason: sentence(
            `${name(a.agencyId)} rates the risk high; ${name(b.agencyId)} ended its referral with no further action.`,
          ),
        });
      }
    }
  }
  return found;
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

/**
 * Since when one part of a position has held its value; when it was last set when the snapshot does not say, and the
 * whole position's `asOf` when the part has no time of its own.
 */
function heldSince(p: AgencyPositionSnapshot, part: 'threshold' | 'risk' | 'referral'): string {
  return p[`${part}Since`] ?? p[`${part}AsOf`] ?? p.asOf;
}

function later(a: string, b: string): Date {
  return new Date(Math.max(Date.parse(a), Date.parse(b)));
}

/** One per pair: evidence united, the latest `since`, and (for findings) the earliest `dueAt`. */
function merge<F extends Disagreement & { readonly dueAt?: Date }>(findings: readonly F[]): F[] {
  const byPair = new Map<string, F>();
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
            ...(seen.dueAt && f.dueAt && { dueAt: seen.dueAt <= f.dueAt ? seen.dueAt : f.dueAt }),
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
