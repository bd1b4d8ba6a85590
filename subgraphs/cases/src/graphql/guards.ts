import type { AuditAction, AuditTarget } from '@mash/service-kit';
import { maySeePersonalData } from '@mash/schema';
import { caseReadDecision, subjectReadDecision, type Decision } from '../domain/access';
import type { CasesContext } from './context';
import type { CaseEntity, SubjectEntity } from '../entities';
import { caseAccessFacts } from './loaders';

/**
 * The cases subgraph's one access check point: every resolver and reference resolver that hands out personal
 * data decides here, and each decision (allowed or refused, with the rule that gave it) is recorded in the
 * request's audit trail. Single records throw FORBIDDEN when refused; lists keep what is allowed.
 */
export function caseTarget(kase: Pick<CaseEntity, 'id' | 'subjectId'>): AuditTarget {
  return { recordType: 'Case', recordId: kase.id, dataSubjectId: kase.subjectId };
}

async function caseDecision(ctx: CasesContext, kase: CaseEntity): Promise<Decision> {
  return caseReadDecision(ctx.identity, await caseAccessFacts(ctx.loaders, kase));
}

/** Checks (and records) access to a case; FORBIDDEN when refused. */
export async function checkCase(
  ctx: CasesContext,
  kase: CaseEntity,
  action: AuditAction = 'read',
): Promise<void> {
  ctx.audit.check(caseTarget(kase), action, await caseDecision(ctx, kase));
}

/** The cases among these the caller may read; each decision is recorded. */
export async function readableCases(ctx: CasesContext, cases: readonly CaseEntity[]): Promise<CaseEntity[]> {
  const decisions = await Promise.all(cases.map((c) => caseDecision(ctx, c)));
  return cases.filter((c, i) => {
    const d = decisions[i]!;
    ctx.audit.record(caseTarget(c), 'read', d);
    return d.allowed;
  });
}

/** Checks (and records) access to a subject; FORBIDDEN when refused. */
export async function checkSubject(
  ctx: CasesContext,
  subject: SubjectEntity,
  action: AuditAction = 'read',
): Promise<void> {
  const cases = await ctx.loaders.casesOfSubject.load(subject.id);
  const facts = await Promise.all(cases.map((c) => caseAccessFacts(ctx.loaders, c)));
  ctx.audit.check(
    { recordType: 'Subject', recordId: subject.id, dataSubjectId: subject.id },
    action,
    subjectReadDecision(ctx.identity, subject, facts),
  );
}

/** Records (and checks) a read of one personal-data part of a case already checked in this request. */
export function readCasePart(
  ctx: CasesContext,
  kase: { id: string; subjectId: string },
  field: string,
): void {
  ctx.audit.part({ recordType: 'Case', recordId: kase.id }, { ...caseTarget(kase), field });
}

/** Records (and checks) a read of one personal-data part of a subject already checked in this request. */
export function readSubjectPart(ctx: CasesContext, subjectId: string, field: string): void {
  ctx.audit.part(
    { recordType: 'Subject', recordId: subjectId },
    { recordType: 'Subject', recordId: subjectId, field, dataSubjectId: subjectId },
  );
}

/**
 * Refuses (and records) callers whose role sees no personal data at all, before anything is loaded: `target` names
 * what was asked for (a record by id, or a partnership's list).
 */
export function requirePersonalData(ctx: CasesContext, target: AuditTarget): void {
  if (maySeePersonalData(ctx.identity)) return;
  ctx.audit.check(target, 'read', {
    allowed: false,
    ground: 'refused:no-personal-data-role',
    reason: 'This role sees no personal data.',
  });
}
