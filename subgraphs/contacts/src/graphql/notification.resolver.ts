import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { ID_PAGE_LIMITS, idPageOf, idPageRequest, NotFoundError } from '@mash/service-kit';
import type { NotificationRecord } from '../domain/notification';
import { ownNotification, recipientOf } from '../services/notification-access';
import type { ContactsContext } from './context';
import { Escalation } from './escalation.type';
import { Notification, NotificationConnection } from './notification.type';

@Resolver(() => Notification)
export class NotificationResolver {
  @Query(() => NotificationConnection, {
    description:
      "The signed-in person's notifications (their token's subject is their contact id), newest first; `unreadOnly` leaves out those marked read.",
  })
  async myNotifications(
    @Arg('unreadOnly', () => Boolean, { defaultValue: false }) unreadOnly: boolean,
    @Arg('first', () => Int, { nullable: true, defaultValue: ID_PAGE_LIMITS.defaultFirst })
    first: number | null | undefined,
    @Arg('after', () => String, { nullable: true }) after: string | null | undefined,
    @Ctx() ctx: ContactsContext,
  ): Promise<{ nodes: NotificationRecord[]; pageInfo: { endCursor: string | null; hasNextPage: boolean } }> {
    const recipient = recipientOf(ctx.identity);
    const page = idPageRequest(first, after);
    const rows = await ctx.services.notifications.page(recipient, {
      unreadOnly,
      first: page.first,
      ...(page.afterId !== undefined && { afterId: page.afterId }),
    });
    return idPageOf(rows, page.first);
  }

  @Query(() => Int, { description: "How many of the signed-in person's notifications are unread." })
  async myUnreadNotificationCount(@Ctx() ctx: ContactsContext): Promise<number> {
    return ctx.services.notifications.unreadCount(recipientOf(ctx.identity));
  }

  @Query(() => Notification, {
    nullable: true,
    description:
      "One of the signed-in person's notifications; FORBIDDEN for another person's, null for none.",
  })
  async notification(
    @Arg('id', () => ID) id: string,
    @Ctx() ctx: ContactsContext,
  ): Promise<NotificationRecord | null> {
    recipientOf(ctx.identity);
    const found = await ctx.services.notifications.byId(id);
    return found ? ownNotification(ctx.identity, found) : null;
  }

  @Mutation(() => Notification, {
    description: "Marks one of the signed-in person's notifications read; FORBIDDEN for another person's.",
  })
  async markNotificationRead(
    @Arg('id', () => ID) id: string,
    @Ctx() ctx: ContactsContext,
  ): Promise<NotificationRecord> {
    const recipient = recipientOf(ctx.identity);
    const marked = await ctx.services.notifications.markRead(id, recipient, new Date());
    if (marked) return marked;
    const other = await ctx.services.notifications.byId(id);
    if (other) ownNotification(ctx.identity, other);
    throw new NotFoundError(`Notification ${id}`);
  }

  @Mutation(() => Int, {
    description:
      'Marks every unread notification of the signed-in person read; returns how many were marked.',
  })
  async markAllNotificationsRead(@Ctx() ctx: ContactsContext): Promise<number> {
    return ctx.services.notifications.markAllRead(recipientOf(ctx.identity), new Date());
  }

  @FieldResolver(() => Escalation, {
    nullable: true,
    description:
      'The escalation that changed, resolved by the escalations subgraph under its access rules (null, with FORBIDDEN, when the person may no longer read it).',
  })
  escalation(@Root() notification: NotificationRecord): { id: string } {
    return { id: notification.escalationId };
  }
}
