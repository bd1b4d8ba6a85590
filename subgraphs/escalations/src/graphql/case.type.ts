import { Directive, Field, ID, ObjectType } from 'type-graphql';

/** Owned by the cases subgraph; this subgraph adds `Case.escalations`, so it resolves Case references too. */
@ObjectType()
@Directive('@key(fields: "id")')
export class Case {
  @Field(() => ID)
  id!: string;
}
