import type { Finding } from './rules/finding';

/** A status change that a resolved escalation for the same case, ground and agencies held as evidence. */
export interface SettledEvidence {
  readonly statusChangeId: string;
  readonly resolvedAt: Date;
}

/**
 * Whether a finding is settled: every status change it rests on was evidence of an escalation for the same case,
 * ground and agencies that was resolved once the finding was due. Resolving it settled exactly this situation, so
 * it is not raised again; new evidence raises anew. A resolution from before the finding was due settled
 * something else that happened to share its evidence (the initial conference that started both the core group and
 * the review expectations of a plan), so it does not count.
 */
export function isSettled(
  finding: Pick<Finding, 'evidence' | 'dueAt'>,
  settled: readonly SettledEvidence[],
): boolean {
  if (finding.evidence.length === 0) return false;
  const after = new Set(
    settled.filter((s) => s.resolvedAt.getTime() >= finding.dueAt.getTime()).map((s) => s.statusChangeId),
  );
  return finding.evidence.every((id) => after.has(id));
}

/**
 * What to do with a finding now:
 * - `wait`: not due yet; a timer waits for `dueAt` (and the rule is asked again then);
 * - `join`: due, and an escalation for the same case, ground and agencies is open: the evidence joins it;
 * - `settled`: due, but an escalation already resolved on exactly this evidence (`isSettled`): nothing is raised;
 * - `raise`: due, nothing open, not settled: raise it.
 */
export type FindingDecision = 'wait' | 'join' | 'settled' | 'raise';

export interface EscalationsOfFinding {
  /** An escalation for the same case, ground and agencies is open. */
  readonly open: boolean;
  /** Evidence of the resolved escalations for the same case, ground and agencies. */
  readonly settled: readonly SettledEvidence[];
}

export function decide(
  finding: Pick<Finding, 'evidence' | 'dueAt'>,
  escalations: EscalationsOfFinding,
  now: Date,
): FindingDecision {
  if (!isDue(finding, now)) return 'wait';
  if (escalations.open) return 'join';
  return isSettled(finding, escalations.settled) ? 'settled' : 'raise';
}

/** Whether a finding may be raised (or join its open escalation) at `now`. */
export function isDue(finding: Pick<Finding, 'dueAt'>, now: Date): boolean {
  return finding.dueAt.getTime() <= now.getTime();
}
