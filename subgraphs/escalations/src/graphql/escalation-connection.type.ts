import { PageInfo } from '@mash/service-kit';
import { Field, ObjectType } from 'type-graphql';
import { Escalation } from './escalation.type';

@ObjectType({ description: 'A page of escalations, the nearest stage deadline first.' })
export class EscalationConnection {
  @Field(() => [Escalation])
  nodes!: Escalation[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;
}
