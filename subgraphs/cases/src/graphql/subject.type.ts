import { Directive, Field, ID, ObjectType } from 'type-graphql';

/** The child or adult at risk. `identifiers` and `cases` are resolved by SubjectResolver. */
@Directive('@key(fields: "id")')
@ObjectType('Subject')
export class SubjectType {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { description: 'A minimal label such as "Child A", never a full name.' })
  displayName!: string;

  @Field(() => Date, { nullable: true })
  dateOfBirth!: Date | null;

  /** Not exposed: for need-to-know checks. */
  partnershipId!: string;
}
