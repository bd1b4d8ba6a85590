import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { CasesContext } from './context';
import { CaseType } from './case.type';
import { toCase } from './mappers';
import { checkCase } from './guards';
import { StatusChangeType } from './status-change.type';

@Resolver(() => StatusChangeType)
export class StatusChangeResolver {
  /** The status change was only resolved for a caller who may read its case; the read is recorded again here. */
  @FieldResolver(() => CaseType, { nullable: true })
  async case(@Root() change: StatusChangeType, @Ctx() ctx: CasesContext): Promise<CaseType | null> {
    const kase = await ctx.loaders.case.load(change.caseId);
    if (!kase) return null;
    await checkCase(ctx, kase);
    return toCase(kase);
  }
}
