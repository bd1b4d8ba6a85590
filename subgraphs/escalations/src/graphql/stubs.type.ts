import { Directive, Field, ID, ObjectType } from 'type-graphql';

/** Owned by the agencies subgraph; referenced here by id only. */
@ObjectType()
@Directive('@key(fields: "id", resolvable: false)')
export class Agency {
  @Field(() => ID)
  id!: string;
}

/** Owned by the agencies subgraph; referenced here by id only. */
@ObjectType()
@Directive('@key(fields: "id", resolvable: false)')
export class Partnership {
  @Field(() => ID)
  id!: string;
}

/** Owned by the cases subgraph; an escalation's evidence refers to status changes by id. */
@ObjectType()
@Directive('@key(fields: "id", resolvable: false)')
export class StatusChange {
  @Field(() => ID)
  id!: string;
}

/** Owned by the contacts subgraph; meetings and panels name their people by contact id. */
@ObjectType()
@Directive('@key(fields: "id", resolvable: false)')
export class Contact {
  @Field(() => ID)
  id!: string;
}
