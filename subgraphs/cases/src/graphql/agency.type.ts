import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { PartnershipRef } from './partnership.type';

/**
 * Owned by the agencies subgraph; referenced here by id only. `partnership` is external: the router fetches it from
 * the agencies subgraph when `SourceSystem.unmatched` requires it.
 */
@Directive('@key(fields: "id", resolvable: false)')
@ObjectType('Agency')
export class AgencyRef {
  @Field(() => ID)
  id!: string;

  @Directive('@external')
  // Never resolved here (the agencies subgraph resolves it); absent from the references this subgraph returns.
  @Field(() => PartnershipRef)
  partnership?: PartnershipRef;
}

export const agencyRef = (id: string): AgencyRef => ({ id });
