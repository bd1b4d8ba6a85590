import { Directive, Field, ID, ObjectType } from 'type-graphql';

/** Owned by the agencies subgraph; referenced here by id only. */
@Directive('@key(fields: "id", resolvable: false)')
@ObjectType('Agency')
export class AgencyRef {
  @Field(() => ID)
  id!: string;
}

export const agencyRef = (id: string): AgencyRef => ({ id });
