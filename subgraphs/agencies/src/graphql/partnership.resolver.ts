import { GraphQLJSONObject } from 'graphql-scalars';
import { Arg, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import { Agency } from './agency.type';
import type { AgenciesContext } from './context';
import type { AgencyRecord, PartnershipRecord } from '../domain/reference';
import { Partnership } from './partnership.type';
import { EscalationPolicyView, policyView } from './policy-view.type';

@Resolver(() => Partnership)
export class PartnershipResolver {
  @Query(() => [Partnership])
  async partnerships(@Ctx() ctx: AgenciesContext): Promise<PartnershipRecord[]> {
    return ctx.services.referenceData.allPartnerships();
  }

  @Query(() => Partnership, { nullable: true })
  async partnership(
    @Arg('id', () => ID) id: string,
    @Ctx() ctx: AgenciesContext,
  ): Promise<PartnershipRecord | null> {
    return ctx.loaders.partnership.load(id);
  }

  @FieldResolver(() => [Agency])
  async agencies(
    @Root() partnership: PartnershipRecord,
    @Ctx() ctx: AgenciesContext,
  ): Promise<AgencyRecord[]> {
    return ctx.loaders.agenciesOfPartnership.load(partnership.id);
  }

  @FieldResolver(() => EscalationPolicyView)
  escalationPolicy(@Root() partnership: PartnershipRecord): EscalationPolicyView {
    return policyView(partnership.policy);
  }

  @FieldResolver(() => GraphQLJSONObject, {
    description: 'The EscalationPolicy document as stored, for services that apply it.',
  })
  policyDocument(@Root() partnership: PartnershipRecord): PartnershipRecord['policy'] {
    return partnership.policy;
  }
}
