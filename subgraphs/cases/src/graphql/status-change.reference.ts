import type { CasesContext } from './context';
import { toStatusChange } from './mappers';
import type { StatusChangeType } from './status-change.type';
import { checkCase, requirePersonalData } from './guards';

/**
 * `_entities` for StatusChange (escalations cite status changes as evidence): visible to whoever may read its
 * case; the read is recorded against the status change, on its case's ground.
 */
export async function resolveStatusChangeReference(
  ref: { id: string },
  ctx: CasesContext,
): Promise<StatusChangeType | null> {
  requirePersonalData(ctx, { recordType: 'StatusChange', recordId: ref.id });
  const change = await ctx.loaders.statusChange.load(ref.id);
  if (!change) return null;
  const kase = await ctx.loaders.case.load(change.caseId);
  if (!kase) return null;
  await checkCase(ctx, kase);
  ctx.audit.part(
    { recordType: 'Case', recordId: kase.id },
    { recordType: 'StatusChange', recordId: change.id, dataSubjectId: kase.subjectId },
  );
  return toStatusChange(change);
}
