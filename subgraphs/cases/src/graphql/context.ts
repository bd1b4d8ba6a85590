import type { RequestContext } from '@mash/service-kit';
import type { CasesLoaders } from './loaders';
import type { CaseReader } from '../repositories/case.reader';
import type { UnmatchedHealthReader } from '../repositories/unmatched-health.reader';
import type { LinkingService } from '../services/linking.service';

/** The services resolvers reach through the GraphQL context (the schema itself holds no database). */
export interface CasesServices {
  readonly reader: CaseReader;
  readonly linking: LinkingService;
  /** Counts of waiting unmatched changes, for connector health. */
  readonly unmatchedHealth: UnmatchedHealthReader;
}

export interface CasesContext extends RequestContext {
  readonly services: CasesServices;
  readonly loaders: CasesLoaders;
}
