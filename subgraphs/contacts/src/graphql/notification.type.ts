import { Field, ID, Int, ObjectType } from 'type-graphql';
import type { EscalationEventType, NotificationReason } from '@mash/schema';
import { PageInfo } from '@mash/service-kit';
import { NotificationEventTypeValue, NotificationReasonValue } from './notification.enums';

@ObjectType({
  description:
    'One person told about one escalation change: what changed and what is asked of them. It names the escalation and holds no personal data about the subject; `escalation` reads it through the graph, under its own access rules.',
})
export class Notification {
  @Field(() => ID, { description: 'The same for the same escalation change and person: never told twice.' })
  id!: string;

  @Field(() => NotificationEventTypeValue)
  eventType!: EscalationEventType;

  @Field(() => NotificationReasonValue)
  reason!: NotificationReason;

  @Field(() => Int, { description: 'The escalation’s stage after the change.' })
  stage!: number;

  @Field(() => String, { description: 'Plain words: what changed and what is asked of the person.' })
  message!: string;

  @Field(() => Boolean)
  immediateRisk!: boolean;

  @Field(() => Date, { description: 'When the change happened.' })
  at!: Date;

  @Field(() => Date, {
    nullable: true,
    description: 'When the person first marked it read; null while unread.',
  })
  readAt!: Date | null;

  // Held for the field resolvers; not GraphQL fields themselves.
  escalationId!: string;
  recipientId!: string;
}

@ObjectType({ description: 'A page of the signed-in person’s notifications, newest first.' })
export class NotificationConnection {
  @Field(() => [Notification])
  nodes!: Notification[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;
}
