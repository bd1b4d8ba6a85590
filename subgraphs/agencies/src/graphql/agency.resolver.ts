import { Arg, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import { Agency } from './agency.type';
import type { AgenciesContext } from './context';
import type { AgencyRecord, PartnershipRecord, SourceSystemRecord } from '../domain/reference';
import { Partnership } from './partnership.type';
import { SourceSystem } from './source-system.type';

@Resolver(() => Agency)
export class AgencyResolver {
  @Query(() => Agency, { nullable: true })
  async agency(@Arg('id', () => ID) id: string, @Ctx() ctx: AgenciesContext): Promise<AgencyRecord | null> {
    return ctx.loaders.agency.load(id);
  }

  @Query(() => [Agency], { description: "A partnership's member agencies, by name." })
  async agencies(
    @Arg('partnershipId', () => ID) partnershipId: string,
    @Ctx() ctx: AgenciesContext,
  ): Promise<AgencyRecord[]> {
    return ctx.loaders.agenciesOfPartnership.load(partnershipId);
  }

  @FieldResolver(() => Partnership)
  async partnership(@Root() agency: AgencyRecord, @Ctx() ctx: AgenciesContext): Promise<PartnershipRecord> {
    const partnership = await ctx.loaders.partnership.load(agency.partnershipId);
    if (!partnership)
      throw new Error(`agency ${agency.id} names missing partnership ${agency.partnershipId}`);
    return partnership;
  }

  @FieldResolver(() => [SourceSystem])
  async sourceSystems(
    @Root() agency: AgencyRecord,
    @Ctx() ctx: AgenciesContext,
  ): Promise<SourceSystemRecord[]> {
    return ctx.loaders.sourceSystemsOfAgency.load(agency.id);
  }
}
