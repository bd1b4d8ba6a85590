import type { Identity } from '@mash/schema';
import { ForbiddenError } from '../errors';

export type AuditAction = 'read' | 'write';
export type AuditOutcome = 'allowed' | 'refused';

/** An access rule's answer: whether it allowed the access, and which rule decided (the audit trail's ground). */
export interface AccessDecision {
  readonly allowed: boolean;
  /** The rule that allowed or refused, e.g. `case:involved-agency`, `refused:no-personal-data-role`. */
  readonly ground: string;
  /** A refusal's message for the caller. */
  readonly reason?: string;
}

export function allowed(ground: string): AccessDecision {
  return { allowed: true, ground };
}

export function refused(ground: string, reason?: string): AccessDecision {
  return { allowed: false, ground, ...(reason !== undefined && { reason }) };
}

/** What was accessed: a record (its GraphQL type and id), optionally one part of it (a personal-data field). */
export interface AuditTarget {
  readonly recordType: string;
  readonly recordId: string;
  /** The personal-data field read (`involvements`, `timeline`…); absent for the record itself. */
  readonly field?: string;
  /** The person the record is about, when the subgraph knows it (the cases subgraph does). */
  readonly dataSubjectId?: string;
}

/**
 * One row of the audit trail (`audit.entry`): one record, one action, one decision, in one request, with the
 * personal-data parts of it that were read (`fields`; empty when only the record itself was).
 */
export interface AuditEntry extends Omit<AuditTarget, 'field'> {
  readonly fields: string[];
  readonly at: Date;
  readonly service: string;
  readonly requestId: string;
  readonly actor: string;
  readonly actorAgencyId?: string;
  readonly actorPartnershipId?: string;
  readonly actorRoles: readonly string[];
  readonly action: AuditAction;
  readonly ground: string;
  readonly outcome: AuditOutcome;
}

/**
 * Collects one request's audit entries (the access check point records through it); the server writes them in one
 * multi-row insert when the response is sent. The same access to the same record within one request is kept once.
 */
export class AuditRecorder {
  private readonly entries = new Map<string, AuditEntry>();
  /** Each record's read decision in this request, so its parts are recorded on the same ground. */
  private readonly decisions = new Map<string, AccessDecision>();

  constructor(
    readonly service: string,
    readonly identity: Identity,
    readonly requestId: string,
  ) {}

  /** Records an access decision. */
  record(target: AuditTarget, action: AuditAction, decision: AccessDecision): void {
    const outcome: AuditOutcome = decision.allowed ? 'allowed' : 'refused';
    const key = [target.recordType, target.recordId, action, outcome, decision.ground].join('\u0000');
    if (action === 'read' && target.field === undefined) {
      const owner = `${target.recordType}\u0000${target.recordId}`;
      if (decision.allowed || !this.decisions.has(owner)) this.decisions.set(owner, decision);
    }
    const existing = this.entries.get(key);
    if (existing) {
      if (target.field !== undefined && !existing.fields.includes(target.field))
        existing.fields.push(target.field);
      return;
    }
    const { identity } = this;
    const { field, ...record } = target;
    this.entries.set(key, {
      ...record,
      fields: field === undefined ? [] : [field],
      at: new Date(),
      service: this.service,
      requestId: this.requestId,
      actor: identity.subject,
      ...(identity.agencyId !== undefined && { actorAgencyId: identity.agencyId }),
      ...(identity.partnershipId !== undefined && { actorPartnershipId: identity.partnershipId }),
      actorRoles: identity.roles,
      action,
      ground: decision.ground,
      outcome,
    });
  }

  /**
   * Records a read of one part of a record (a personal-data field: `Case.timeline`, `Escalation.history`) on the
   * ground its owner record was read on. A part whose owner was never checked in this request is refused: no
   * resolver can hand out personal data that skipped the check.
   */
  part(owner: { readonly recordType: string; readonly recordId: string }, target: AuditTarget): void {
    const decision =
      this.decisions.get(`${owner.recordType}\u0000${owner.recordId}`) ??
      refused('refused:owner-not-checked', 'No need-to-know for this record.');
    this.check(target, 'read', decision);
  }

  /** Records the decision and throws FORBIDDEN when it refused: the access check point's one call. */
  check(target: AuditTarget, action: AuditAction, decision: AccessDecision): void {
    this.record(target, action, decision);
    if (!decision.allowed) throw new ForbiddenError(decision.reason);
  }

  /** Removes and returns what has been recorded so far. */
  take(): AuditEntry[] {
    const out = [...this.entries.values()];
    this.entries.clear();
    return out;
  }

  get size(): number {
    return this.entries.size;
  }
}
