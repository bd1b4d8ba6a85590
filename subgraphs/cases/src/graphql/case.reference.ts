import type { CasesContext } from './context';
import type { CaseType } from './case.type';
import { toCase } from './mappers';
import { assertCanReadCase, requirePersonalData } from './guards';

/** A case by id for a caller with need-to-know: null when there is none, FORBIDDEN when it is not theirs. */
export async function loadReadableCase(ctx: CasesContext, id: string): Promise<CaseType | null> {
  requirePersonalData(ctx);
  const kase = await ctx.loaders.case.load(id);
  if (!kase) return null;
  await assertCanReadCase(ctx, kase);
  ctx.logger.info({ audit: 'read', record: 'case', caseId: id }, 'case read');
  return toCase(kase);
}

/** `_entities` for Case (the escalations subgraph extends Case): the same need-to-know as `Query.case`. */
export async function resolveCaseReference(ref: { id: string }, ctx: CasesContext): Promise<CaseType | null> {
  return loadReadableCase(ctx, ref.id);
}
