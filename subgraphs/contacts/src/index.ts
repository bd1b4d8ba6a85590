export { buildContactsSchema } from './graphql/schema';
export {
  CONTACTS_SCHEMA,
  startContactsService,
  type ContactsServiceOptions,
  type RunningContactsService,
} from './start';
export { seedContacts } from './services/seed-contacts';
export { Notifier, notificationId, type NotifyResult } from './services/notify.service';
export { recipientsOf, raisersAtRaise, type Recipient } from './domain/notifications';
export { notificationWords } from './domain/notification-words';
export type { NotificationRecord } from './domain/notification';
export { migrations as contactsMigrations } from './migrations';
export { ContactEntity } from './entities/contact.entity';
export { demoContacts, seedContactsDemo } from './demo/seed';
export type { ContactRecord } from './domain/contact';
export { PARTNERSHIP_LEVEL_ROLES, routeStage, type StageRoutingRequest } from './domain/routing';
export {
  directoryAccess,
  mayReadPartnership,
  requireDirectoryAccess,
  type DirectoryAccess,
  type GrantedDirectoryAccess,
} from './services/access';
