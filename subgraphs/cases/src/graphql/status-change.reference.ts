import type { CasesContext } from './context';
import { toStatusChange } from './mappers';
import type { StatusChangeType } from './status-change.type';
import { assertCanReadCase } from './guards';

/**
 * `_entities` for StatusChange (escalations cite status changes as evidence): visible to whoever may read its
 * case.
 */
export async function resolveStatusChangeReference(
  ref: { id: string },
  ctx: CasesContext,
): Promise<StatusChangeType | null> {
  const change = await ctx.loaders.statusChange.load(ref.id);
  if (!change) return null;
  const kase = await ctx.loaders.case.load(change.caseId);
  if (!kase) return null;
  await assertCanReadCase(ctx, kase);
  return toStatusChange(change);
}
