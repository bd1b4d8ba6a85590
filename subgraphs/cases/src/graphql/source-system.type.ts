import { Directive, Field, ID, Int, ObjectType } from 'type-graphql';
import { AgencyRef } from './agency.type';

/**
 * Owned by the agencies subgraph. This subgraph adds `unmatched`, for which the router first fetches the source
 * system's agency and partnership from the agencies subgraph and passes them in the entity representation.
 */
@Directive('@key(fields: "id")')
@ObjectType('SourceSystem')
export class SourceSystemRef {
  @Field(() => ID)
  id!: string;

  @Directive('@external')
  @Field(() => AgencyRef)
  agency!: AgencyRef;
}

@ObjectType('UnmatchedEventTypeCount')
export class UnmatchedEventTypeCount {
  @Field(() => String)
  type!: string;

  @Field(() => Int)
  waiting!: number;
}

@ObjectType('UnmatchedHealth', {
  description:
    "A source system's status changes that matched no subject and wait for a MASH officer to link them: counts only, no personal data.",
})
export class UnmatchedHealth {
  @Field(() => Int)
  waiting!: number;

  @Field(() => [UnmatchedEventTypeCount], { description: 'By event type, by name.' })
  eventTypes!: UnmatchedEventTypeCount[];
}
