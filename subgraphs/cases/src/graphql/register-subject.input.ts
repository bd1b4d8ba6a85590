import { Field, ID, InputType } from 'type-graphql';

@InputType('SubjectIdentifierInput')
export class SubjectIdentifierInput {
  @Field(() => String, { description: 'nhs-number, la-person-id, police-person-id or upn.' })
  system!: string;

  @Field(() => String)
  value!: string;
}

@InputType('RegisterSubjectInput')
export class RegisterSubjectInput {
  @Field(() => ID)
  partnershipId!: string;

  @Field(() => String)
  displayName!: string;

  @Field(() => Date, { nullable: true })
  dateOfBirth?: Date | null;

  @Field(() => [SubjectIdentifierInput])
  identifiers!: SubjectIdentifierInput[];
}
