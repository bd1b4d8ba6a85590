import { ForbiddenError } from '@mash/service-kit';
import { maySeePersonalData } from '@mash/schema';
import { mayReadCase, maySeeSubject } from '../domain/access';
import type { CasesContext } from './context';
import type { CaseEntity, SubjectEntity } from '../entities';
import { caseAccessFacts } from './loaders';

/** Turns need-to-know refusals into FORBIDDEN (single records) or filters (lists). */
export function requirePersonalData(ctx: CasesContext): void {
  if (!maySeePersonalData(ctx.identity)) throw new ForbiddenError('This role sees no personal data.');
}

export async function canReadCase(ctx: CasesContext, kase: CaseEntity): Promise<boolean> {
  return mayReadCase(ctx.identity, await caseAccessFacts(ctx.loaders, kase));
}

export async function assertCanReadCase(ctx: CasesContext, kase: CaseEntity): Promise<void> {
  requirePersonalData(ctx);
  if (!(await canReadCase(ctx, kase))) throw new ForbiddenError('No need-to-know for this case.');
}

export async function readableCases(ctx: CasesContext, cases: readonly CaseEntity[]): Promise<CaseEntity[]> {
  const allowed = await Promise.all(cases.map((c) => canReadCase(ctx, c)));
  return cases.filter((_, i) => allowed[i]);
}

export async function assertCanSeeSubject(ctx: CasesContext, subject: SubjectEntity): Promise<void> {
  requirePersonalData(ctx);
  const cases = await ctx.loaders.casesOfSubject.load(subject.id);
  const facts = await Promise.all(cases.map((c) => caseAccessFacts(ctx.loaders, c)));
  if (!maySeeSubject(ctx.identity, subject, facts))
    throw new ForbiddenError('No need-to-know for this subject.');
}
