import type { DataSource, RequestContext } from '@mash/service-kit';
import type { AgenciesLoaders } from './loaders';
import type { ReferenceDataRepository } from '../repositories/reference-data.repository';

export interface AgenciesServices {
  readonly referenceData: ReferenceDataRepository;
  /** Reads the `audit` schema (owned by the service kit; see docs/ARCHITECTURE.md, "Audit trail"). */
  readonly auditTrail: DataSource;
}

/** What the agencies resolvers see: the verified caller, the services and this request's loaders. */
export interface AgenciesContext extends RequestContext {
  readonly services: AgenciesServices;
  readonly loaders: AgenciesLoaders;
}
