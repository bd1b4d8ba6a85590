import type { EscalationGround } from '../model';

/** What a rule found on a case: one agency should escalate to another, with the status changes that show it. */
export interface Finding {
  readonly ground: EscalationGround;
  readonly raisingAgencyId: string;
  readonly receivingAgencyId: string;
  /** Status change ids. */
  readonly evidence: readonly string[];
  /** Since when the situation has held (the grace period counts from here). */
  readonly since: Date;
  /** A plain sentence naming agencies by id; never personal data. */
  readonly reason: string;
}

/** Identity of the escalation a finding belongs to: one open escalation per case, ground and pair of agencies. */
export function findingKey(
  caseId: string,
  f: Pick<Finding, 'ground' | 'raisingAgencyId' | 'receivingAgencyId'>,
): string {
  return `${caseId}:${f.ground}:${f.raisingAgencyId}:${f.receivingAgencyId}`;
}
