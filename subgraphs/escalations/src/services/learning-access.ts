import { hasRole, type Identity } from '@mash/schema';
import { allowed, refused, type AccessDecision, type AuditRecorder } from '@mash/service-kit';
import { maySeeEscalations, NO_PERSONAL_DATA } from './access';

/**
 * Who reads a partnership's learning (docs/DOMAIN.md, "Who uses it"): its chair, who owns stage 4 and reads the
 * learning, and its MASH officers, who watch the partnership's escalations live. Nobody else, by allow-list:
 * - roles that see no escalations (agency integrators whatever else the token claims, auditors, services) get
 *   the house refusal `NO_PERSONAL_DATA`. The figures hold no personal data, but they are drawn from records
 *   those roles may not read, and an auditor's remit is the audit trail, not the records;
 * - practitioners, managers and heads of service see their own agency's escalations, not the partnership's
 *   figures; a chair or MASH officer of another partnership sees none of this one's.
 */
export function learningDecision(identity: Identity, partnershipId: string): AccessDecision {
  if (!maySeeEscalations(identity)) return NO_PERSONAL_DATA;
  if (hasRole(identity, 'partnership-chair', 'mash-officer') && identity.partnershipId === partnershipId) {
    return allowed('partnership-oversight');
  }
  return refused(
    'refused:not-partnership-oversight',
    "Only the partnership's chair and MASH officers read its learning.",
  );
}

/**
 * The learning's access check, beside the escalation checks of `access.ts`. The answer is figures, not personal
 * data, so an allowed read leaves no audit entry (as reference data and the contacts directory leave none); a
 * refusal is recorded, as every refusal of the check point is, and answered FORBIDDEN.
 */
export function checkLearning(audit: AuditRecorder, partnershipId: string): void {
  const decision = learningDecision(audit.identity, partnershipId);
  if (!decision.allowed) {
    audit.check({ recordType: 'EscalationLearning', recordId: partnershipId }, 'read', decision);
  }
}
