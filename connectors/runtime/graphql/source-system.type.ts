import { Directive, Field, ID, ObjectType } from 'type-graphql';

/**
 * Owned by the agencies subgraph. This subgraph adds `health`, for which the router first fetches the source
 * system's `code` from the agencies subgraph and passes it in the entity representation.
 */
@Directive('@key(fields: "id")')
@ObjectType()
export class SourceSystem {
  @Field(() => ID)
  id!: string;

  @Directive('@external')
  @Field(() => String)
  code!: string;
}

/** A SourceSystem representation carrying what `health` requires. */
export interface SourceSystemRef {
  readonly id: string;
  readonly code: string;
}
