import { GraphQLJSONObject } from 'graphql-scalars';
import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { AgencyRef } from './agency.type';

/** One fact an agency system reported, on its case's timeline. `case` is resolved by StatusChangeResolver. */
@Directive('@key(fields: "id")')
@ObjectType('StatusChange')
export class StatusChangeType {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  kind!: string;

  @Field(() => String, { description: 'The CloudEvent type the agency published.' })
  eventType!: string;

  @Field(() => String)
  summary!: string;

  @Field(() => GraphQLJSONObject)
  facts!: Record<string, unknown>;

  @Field(() => Date)
  occurredAt!: Date;

  @Field(() => Date)
  receivedAt!: Date;

  @Field(() => AgencyRef)
  agency!: AgencyRef;

  /** Not exposed: for resolving the case and for need-to-know checks. */
  caseId!: string;
}
