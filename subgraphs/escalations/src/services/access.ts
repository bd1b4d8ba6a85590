import { hasRole, maySeePersonalData, type Identity } from '@mash/schema';
import {
  allowed,
  ForbiddenError,
  NotFoundError,
  refused,
  type AccessDecision,
  type AuditRecorder,
  type AuditTarget,
} from '@mash/service-kit';

/** What access decisions need to know about an escalation. */
export interface EscalationParties {
  readonly partnershipId: string;
  readonly raisingAgencyId: string;
  readonly receivingAgencyId: string;
}

/**
 * Need-to-know (ARCHITECTURE.md, "Access"), by allow-list: only callers who may see personal data at all (a
 * casework role) see escalations. Agency integrators, auditors and platform services are refused outright.
 */
export function maySeeEscalations(identity: Identity): boolean {
  return maySeePersonalData(identity);
}

/**
 * An escalation is visible to callers of the raising or receiving agency, to the MASH officers and the chair of
 * its partnership.
 */
export function maySeeEscalation(identity: Identity, e: EscalationParties): boolean {
  return readDecision(identity, e).allowed;
}

export const NO_PERSONAL_DATA = refused('refused:no-personal-data-role', 'Only caseworkers see escalations.');

/** Which rule lets the caller read the escalation, or refuses it (recorded in the audit trail). */
export function readDecision(identity: Identity, e: EscalationParties): AccessDecision {
  if (!maySeeEscalations(identity)) return NO_PERSONAL_DATA;
  if (identity.agencyId !== undefined && isParty(identity.agencyId, e)) return allowed('party-agency');
  if (seesWholePartnership(identity, e.partnershipId)) return allowed('partnership-oversight');
  return refused('refused:not-a-party', 'No need-to-know for this record.');
}

/**
 * The escalations subgraph's one access check point for reads: every resolver and reference resolver that hands
 * out an escalation goes through `checkEscalation` or `checkEscalations`, which decide and record the decision in
 * the request's audit trail. Who may make each move is in `action-access.ts`.
 */
export function checkEscalation<T extends EscalationParties & { readonly id: string }>(
  audit: AuditRecorder,
  e: T | null | undefined,
  id: string,
): T {
  if (!maySeeEscalations(audit.identity)) {
    audit.check({ recordType: 'Escalation', recordId: id }, 'read', NO_PERSONAL_DATA);
  }
  if (!e) throw new NotFoundError(`Escalation ${id}`);
  audit.check({ recordType: 'Escalation', recordId: e.id }, 'read', readDecision(audit.identity, e));
  return e;
}

/** The escalations among these the caller may see, each decision recorded; `list` names the list asked for. */
export function checkEscalations<T extends EscalationParties & { readonly id: string }>(
  audit: AuditRecorder,
  list: readonly T[],
  what: AuditTarget,
): T[] {
  if (!maySeeEscalations(audit.identity)) audit.check(what, 'read', NO_PERSONAL_DATA);
  return list.filter((e) => {
    const d = readDecision(audit.identity, e);
    audit.record({ recordType: 'Escalation', recordId: e.id }, 'read', d);
    return d.allowed;
  });
}

/** Records a read of one personal-data part of an escalation checked in this request. */
export function readEscalationPart(audit: AuditRecorder, escalationId: string, field: string): void {
  audit.part(
    { recordType: 'Escalation', recordId: escalationId },
    { recordType: 'Escalation', recordId: escalationId, field },
  );
}

/**
 * Which of a partnership's escalations a list may load, so the database filters rather than the caller's memory:
 * all of them (its MASH officers and chair), those where the caller's agency is a party, or none.
 */
export type EscalationListScope =
  | { readonly kind: 'partnership' }
  | { readonly kind: 'agency'; readonly agencyId: string }
  | { readonly kind: 'none' };

/** The scope of a partnership's escalation list for this caller; FORBIDDEN for callers who may see none. */
export function escalationListScope(identity: Identity, partnershipId: string): EscalationListScope {
  assertMaySeeEscalations(identity);
  if (seesWholePartnership(identity, partnershipId)) return { kind: 'partnership' };
  if (identity.agencyId !== undefined) return { kind: 'agency', agencyId: identity.agencyId };
  return { kind: 'none' };
}

/** Lists show only what the caller may see; callers who may see none are refused outright. */
export function visibleEscalations<T extends EscalationParties>(identity: Identity, list: readonly T[]): T[] {
  assertMaySeeEscalations(identity);
  return list.filter((e) => maySeeEscalation(identity, e));
}

export function assertMaySeeEscalations(identity: Identity): void {
  if (!maySeeEscalations(identity)) {
    throw new ForbiddenError('Only caseworkers see escalations.');
  }
}

/** A single lookup: NOT_FOUND when there is no such escalation, FORBIDDEN when the caller has no need-to-know. */
export function assertMaySee<T extends EscalationParties>(
  identity: Identity,
  e: T | null | undefined,
  id: string,
): T {
  assertMaySeeEscalations(identity);
  if (!e) throw new NotFoundError(`Escalation ${id}`);
  if (!maySeeEscalation(identity, e)) throw new ForbiddenError();
  return e;
}

function seesWholePartnership(identity: Identity, partnershipId: string): boolean {
  return hasRole(identity, 'mash-officer', 'partnership-chair') && identity.partnershipId === partnershipId;
}

function isParty(agencyId: string, e: EscalationParties): boolean {
  return agencyId === e.raisingAgencyId || agencyId === e.receivingAgencyId;
}
