import { Field, ID, ObjectType } from 'type-graphql';
import { AgencyRef } from './agency.type';

/** A status change whose identifier matched no subject, waiting for a MASH officer to link it. */
@ObjectType('UnmatchedStatusChange')
export class UnmatchedStatusChangeType {
  @Field(() => ID, { description: 'The status change id; pass it to linkStatusChange.' })
  id!: string;

  @Field(() => AgencyRef)
  agency!: AgencyRef;

  @Field(() => String)
  identifierSystem!: string;

  @Field(() => String)
  identifierValue!: string;

  @Field(() => String)
  eventType!: string;

  @Field(() => String)
  kind!: string;

  @Field(() => String)
  summary!: string;

  @Field(() => Date)
  occurredAt!: Date;

  @Field(() => Date)
  receivedAt!: Date;
}
