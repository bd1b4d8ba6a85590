export { buildContactsSchema } from './graphql/schema';
export {
  CONTACTS_SCHEMA,
  startContactsService,
  type ContactsServiceOptions,
  type RunningContactsService,
} from './start';
export { seedContacts } from './services/seed-contacts';
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
