import type { CasesContext } from './context';
import type { CaseType } from './case.type';
import { toCase } from './mappers';
import { checkCase, requirePersonalData } from './guards';

/** A case by id for a caller with need-to-know: null when there is none, FORBIDDEN when it is not theirs. */
export async function loadReadableCase(ctx: CasesContext, id: string): Promise<CaseType | null> {
  requirePersonalData(ctx, { recordType: 'Case', recordId: id });
  const kase = await ctx.loaders.case.load(id);
  if (!kase) return null;
  await checkCase(ctx, kase);
  return toCase(kase);
}

/** `_entities` for Case (the escalations subgraph extends Case): the same need-to-know as `Query.case`. */
export async function resolveCaseReference(ref: { id: string }, ctx: CasesContext): Promise<CaseType | null> {
  return loadReadableCase(ctx, ref.id);
}
