import { Directive, Field, ID, ObjectType } from 'type-graphql';

/** Owned by the agencies subgraph; only referenced here. */
@Directive('@key(fields: "id", resolvable: false)')
@ObjectType()
export class Partnership {
  @Field(() => ID)
  id!: string;
}
