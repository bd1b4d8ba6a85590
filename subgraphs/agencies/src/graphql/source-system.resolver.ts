import { Arg, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import { Agency } from './agency.type';
import type { AgenciesContext } from './context';
import type { AgencyRecord, SourceSystemRecord } from '../domain/reference';
import { SourceSystem } from './source-system.type';

@Resolver(() => SourceSystem)
export class SourceSystemResolver {
  @Query(() => SourceSystem, { nullable: true, description: 'The registered source system with this code.' })
  async sourceSystem(
    @Arg('code', () => String) code: string,
    @Ctx() ctx: AgenciesContext,
  ): Promise<SourceSystemRecord | null> {
    return ctx.services.referenceData.sourceSystemByCode(code);
  }

  @FieldResolver(() => Agency)
  async agency(@Root() sourceSystem: SourceSystemRecord, @Ctx() ctx: AgenciesContext): Promise<AgencyRecord> {
    const agency = await ctx.loaders.agency.load(sourceSystem.agencyId);
    if (!agency)
      throw new Error(`source system ${sourceSystem.code} names missing agency ${sourceSystem.agencyId}`);
    return agency;
  }
}
