import { PageInfo } from '@mash/service-kit';
import { Field, ID, ObjectType } from 'type-graphql';

/** One access to personal data: who, what, when, on what ground, and whether it was allowed. */
@ObjectType('AuditEntry')
export class AuditEntryType {
  @Field(() => ID)
  id!: string;

  @Field(() => Date)
  at!: Date;

  @Field({ description: 'The subgraph that decided.' })
  service!: string;

  @Field()
  requestId!: string;

  @Field({ description: "The caller's token subject." })
  actor!: string;

  @Field(() => ID, { nullable: true })
  actorAgencyId!: string | null;

  @Field(() => ID, { nullable: true })
  actorPartnershipId!: string | null;

  @Field(() => [String])
  actorRoles!: string[];

  @Field({ description: '`read` or `write`.' })
  action!: string;

  @Field({
    description: 'Case, Subject, StatusChange, Escalation, UnmatchedStatusChange, or a list asked for.',
  })
  recordType!: string;

  @Field(() => ID)
  recordId!: string;

  @Field(() => [String], {
    description:
      'The personal-data parts of the record read (timeline, history…); empty for the record alone.',
  })
  fields!: string[];

  @Field(() => ID, { nullable: true, description: 'The person the record is about, where known.' })
  dataSubjectId!: string | null;

  @Field({ description: 'The access rule that allowed or refused.' })
  ground!: string;

  @Field({ description: '`allowed` or `refused`.' })
  outcome!: string;
}

@ObjectType('AuditEntryConnection')
export class AuditEntryConnection {
  @Field(() => [AuditEntryType])
  nodes!: AuditEntryType[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;
}
