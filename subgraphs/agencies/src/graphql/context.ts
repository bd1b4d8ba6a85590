import type { RequestContext } from '@mash/service-kit';
import type { AgenciesLoaders } from './loaders';
import type { ReferenceDataRepository } from '../repositories/reference-data.repository';

export interface AgenciesServices {
  readonly referenceData: ReferenceDataRepository;
}

/** What the agencies resolvers see: the verified caller, the services and this request's loaders. */
export interface AgenciesContext extends RequestContext {
  readonly services: AgenciesServices;
  readonly loaders: AgenciesLoaders;
}
