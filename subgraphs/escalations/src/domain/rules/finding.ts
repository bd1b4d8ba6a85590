import type { AgencyType, AutomaticGround, CaseSnapshot, TriggerOf } from '@mash/schema';
import type { WorkingDayCalendar } from '../calendar';

/**
 * What a rule found on a case: one agency should escalate to another, with the status changes that show it, and
 * when it may be raised. A finding whose `dueAt` is still to come waits on a timer; when the timer fires the rule
 * runs again on the case as it stands then, and only a finding that still holds is raised.
 */
export interface Finding {
  readonly ground: AutomaticGround;
  readonly raisingAgencyId: string;
  readonly receivingAgencyId: string;
  /**
   * What within the ground the finding is about, when one case and pair of agencies can have several at once,
   * each with its own deadline (stalled plan: `initial-conference`, `first-core-group`, `review-conference`,
   * `action:<plan>:<action>`, `visit:<plan>`). Absent when the ground has one finding per pair of agencies.
   */
  readonly concern?: string;
  /** Status change ids. */
  readonly evidence: readonly string[];
  /** Since when the situation has held (threshold disagreement: the grace period counts from here). */
  readonly since: Date;
  /**
   * When it may be raised: threshold disagreement, `since` plus the grace period; stalled plan, the deadline the
   * expected event has not met; disengagement and increasing risk, the signal that completed the finding.
   */
  readonly dueAt: Date;
  /** A plain sentence naming agencies by name; never personal data. */
  readonly reason: string;
}

/** A partnership's agency as the rules see it (the agency directory's `agencies`). */
export interface AgencyRef {
  readonly id: string;
  readonly name: string;
  readonly type: AgencyType;
}

/** What every rule may read besides the case and its trigger: the time, the calendar, the partnership's agencies. */
export interface RuleContext {
  readonly now: Date;
  /** The partnership's working-day calendar (its policy's `calendar`). */
  readonly calendar: WorkingDayCalendar;
  /** Every agency of the partnership, involved in the case or not. */
  readonly agencies: readonly AgencyRef[];
}

/** One automatic ground's rule: pure, from the case as it stands and the ground's trigger policy. */
export type Rule<G extends AutomaticGround> = (
  snapshot: CaseSnapshot,
  trigger: TriggerOf<G>,
  ctx: RuleContext,
) => Finding[];

/** Identity of the escalation a finding belongs to: one open escalation per case, ground and pair of agencies. */
export function findingKey(
  caseId: string,
  f: Pick<Finding, 'ground' | 'raisingAgencyId' | 'receivingAgencyId'>,
): string {
  return `${caseId}:${f.ground}:${f.raisingAgencyId}:${f.receivingAgencyId}`;
}

/** Whether two findings are the same thing found (same ground, agencies and concern), whatever their evidence. */
export function sameFinding(
  a: Pick<Finding, 'ground' | 'raisingAgencyId' | 'receivingAgencyId' | 'concern'>,
  b: Pick<Finding, 'ground' | 'raisingAgencyId' | 'receivingAgencyId' | 'concern'>,
): boolean {
  return (
    a.ground === b.ground &&
    a.raisingAgencyId === b.raisingAgencyId &&
    a.receivingAgencyId === b.receivingAgencyId &&
    (a.concern ?? null) === (b.concern ?? null)
  );
}
