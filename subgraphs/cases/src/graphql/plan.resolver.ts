import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { CasesContext } from './context';
import { toPlanAction } from './mappers';
import { PlanActionType } from './plan-action.type';
import { PlanType } from './plan.type';

@Resolver(() => PlanType)
export class PlanResolver {
  @FieldResolver(() => [PlanActionType])
  async actions(@Root() plan: PlanType, @Ctx() ctx: CasesContext): Promise<PlanActionType[]> {
    ctx.audit.part(
      { recordType: 'Case', recordId: plan.caseId },
      { recordType: 'Plan', recordId: plan.id, field: 'actions' },
    );
    return (await ctx.loaders.actionsOfPlan.load(plan.id)).map(toPlanAction);
  }
}
