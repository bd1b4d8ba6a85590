import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { CasesContext } from '../context';
import { toPlanAction } from '../graphql/mappers';
import { PlanActionType } from '../graphql/plan-action.type';
import { PlanType } from '../graphql/plan.type';

@Resolver(() => PlanType)
export class PlanResolver {
  @FieldResolver(() => [PlanActionType])
  async actions(@Root() plan: PlanType, @Ctx() ctx: CasesContext): Promise<PlanActionType[]> {
    return (await ctx.loaders.actionsOfPlan.load(plan.id)).map(toPlanAction);
  }
}
