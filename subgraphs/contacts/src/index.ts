export { buildContactsSchema } from './schema';
export {
  CONTACTS_SCHEMA,
  startContactsService,
  type ContactsServiceOptions,
  type RunningContactsService,
} from './service';
export { seedContacts } from './seed';
export { demoContacts, seedContactsDemo } from './demo';
export type { ContactRecord } from './domain/contact';
export { PARTNERSHIP_LEVEL_ROLES, routeStage, type StageRoutingRequest } from './domain/routing';
export {
  directoryAccess,
  mayReadPartnership,
  requireDirectoryAccess,
  type DirectoryAccess,
  type GrantedDirectoryAccess,
} from './access';
