import { Field, ID, ObjectType } from 'type-graphql';
import { AgencyRef } from './agency.type';
import { SubjectIdentifierType } from './subject-identifier.type';

/** A status change held for a MASH officer to link: its identifiers matched no subject, or two subjects. */
@ObjectType('UnmatchedStatusChange')
export class UnmatchedStatusChangeType {
  @Field(() => ID, { description: 'The status change id; pass it to linkStatusChange.' })
  id!: string;

  @Field(() => AgencyRef)
  agency!: AgencyRef;

  @Field(() => String, {
    description:
      'Why it is held, a code of the error registry: SUBJECT_UNKNOWN (no subject holds any of its identifiers) or ' +
      'IDENTIFIER_CONFLICT (its identifiers belong to different subjects; nothing was merged).',
  })
  reasonCode!: string;

  @Field(() => String)
  identifierSystem!: string;

  @Field(() => String)
  identifierValue!: string;

  @Field(() => [SubjectIdentifierType], {
    description: "Other identifiers the agency's record holds for the same person.",
  })
  otherIdentifiers!: SubjectIdentifierType[];

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
