import { Directive, Field, ID, ObjectType } from 'type-graphql';

/** Owned by the agencies subgraph; referenced here by id only. */
@Directive('@key(fields: "id", resolvable: false)')
@ObjectType('Partnership')
export class PartnershipRef {
  @Field(() => ID)
  id!: string;
}
