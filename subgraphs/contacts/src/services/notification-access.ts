import { ForbiddenError } from '@mash/service-kit';
import { isService, type Identity } from '@mash/schema';
import type { NotificationRecord } from '../domain/notification';

/**
 * Whose notifications the caller may read and mark: their own only. A person's token subject is their contact id,
 * which is what a notification's recipient is; a platform service has no notifications.
 */
export function recipientOf(identity: Identity): string {
  if (isService(identity)) throw new ForbiddenError('A service has no notifications of its own.');
  return identity.subject;
}

/** The notification, when it is the caller's; FORBIDDEN when it is someone else's. */
export function ownNotification(identity: Identity, notification: NotificationRecord): NotificationRecord {
  if (notification.recipientId !== recipientOf(identity)) {
    throw new ForbiddenError('That notification is addressed to someone else.');
  }
  return notification;
}
