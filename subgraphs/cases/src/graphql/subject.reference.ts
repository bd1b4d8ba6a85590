import type { CasesContext } from './context';
import { toSubject } from './mappers';
import type { SubjectType } from './subject.type';
import { checkSubject, requirePersonalData } from './guards';

export async function loadVisibleSubject(ctx: CasesContext, id: string): Promise<SubjectType | null> {
  requirePersonalData(ctx, { recordType: 'Subject', recordId: id, dataSubjectId: id });
  const subject = await ctx.loaders.subject.load(id);
  if (!subject) return null;
  await checkSubject(ctx, subject);
  return toSubject(subject);
}

/** `_entities` for Subject: the same need-to-know as `Query.subject`. */
export async function resolveSubjectReference(
  ref: { id: string },
  ctx: CasesContext,
): Promise<SubjectType | null> {
  return loadVisibleSubject(ctx, ref.id);
}
