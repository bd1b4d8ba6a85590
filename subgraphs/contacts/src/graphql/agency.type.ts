import { Directive, Field, ID, ObjectType } from 'type-graphql';

/** Owned by the agencies subgraph; this subgraph adds the agency's contacts. */
@Directive('@key(fields: "id")')
@ObjectType()
export class Agency {
  @Field(() => ID)
  id!: string;
}
