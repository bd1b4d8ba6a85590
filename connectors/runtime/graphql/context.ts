import type { AgencyDirectory, RequestContext } from '@mash/service-kit';
import type { ConsumerLagReader } from '../lag';
import type { SourceHealthRepository } from '../source-health';

export interface ConnectorServices {
  readonly health: SourceHealthRepository;
  readonly lag: ConsumerLagReader;
  /** The agencies subgraph's answer to whose a source system is (cached briefly). */
  readonly directory: AgencyDirectory;
}

/** What the connector's resolvers see: the verified caller and the services. */
export interface ConnectorContext extends RequestContext {
  readonly services: ConnectorServices;
}
