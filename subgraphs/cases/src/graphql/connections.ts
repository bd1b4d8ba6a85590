import { PageInfo } from '@mash/service-kit';
import { Field, ObjectType } from 'type-graphql';
import { CaseType } from './case.type';
import { StatusChangeType } from './status-change.type';
import { UnmatchedStatusChangeType } from './unmatched-status-change.type';

@ObjectType({ description: 'A page of cases.' })
export class CaseConnection {
  @Field(() => [CaseType])
  nodes!: CaseType[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;
}

@ObjectType({ description: 'A page of a case timeline, newest first.' })
export class StatusChangeConnection {
  @Field(() => [StatusChangeType])
  nodes!: StatusChangeType[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;
}

@ObjectType({ description: 'A page of unmatched status changes, oldest first.' })
export class UnmatchedStatusChangeConnection {
  @Field(() => [UnmatchedStatusChangeType])
  nodes!: UnmatchedStatusChangeType[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;
}
