import { Field, ObjectType } from 'type-graphql';

@ObjectType('SubjectIdentifier')
export class SubjectIdentifierType {
  @Field(() => String, { description: 'nhs-number, la-person-id, police-person-id or upn.' })
  system!: string;

  @Field(() => String)
  value!: string;
}
