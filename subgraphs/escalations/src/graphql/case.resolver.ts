import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { checkEscalations } from '../services/access';
import { Case } from './case.type';
import type { EscalationsContext } from './context';
import { Escalation } from './escalation.type';

@Resolver(() => Case)
export class CaseEscalationsResolver {
  @FieldResolver(() => [Escalation], {
    description: "The case's escalations the caller may see, newest first.",
  })
  async escalations(@Root() c: Case, @Ctx() ctx: EscalationsContext): Promise<Escalation[]> {
    return checkEscalations(ctx.audit, await ctx.loaders.escalationsOfCase.load(c.id), {
      recordType: 'Case',
      recordId: c.id,
      field: 'escalations',
    });
  }
}
