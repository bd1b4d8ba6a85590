import type { RequestContext } from '@mash/service-kit';
import type { DirectoryRepository } from '../repositories/directory.repository';
import type { NotificationRepository } from '../repositories/notification.repository';
import type { ContactsLoaders } from './loaders';

export interface ContactsServices {
  readonly directory: DirectoryRepository;
  readonly notifications: NotificationRepository;
}

/** What the contacts resolvers see: the verified caller, the services and this request's loaders. */
export interface ContactsContext extends RequestContext {
  readonly services: ContactsServices;
  readonly loaders: ContactsLoaders;
}
