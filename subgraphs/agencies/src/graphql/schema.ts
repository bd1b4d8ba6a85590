import { buildFederatedSchema } from '@mash/service-kit';
import type { GraphQLSchema } from 'graphql';
import { resolveAgencyReference } from './agency.reference';
import { AgencyResolver } from './agency.resolver';
import { AuditResolver } from './audit.resolver';
import { resolvePartnershipReference } from './partnership.reference';
import { PartnershipResolver } from './partnership.resolver';
import { resolveSourceSystemReference } from './source-system.reference';
import { SourceSystemResolver } from './source-system.resolver';

/**
 * The agencies subgraph schema. Built without a database: resolvers reach their services and loaders through
 * the GraphQL context, so `npm run compose` can print the SDL.
 */
export async function buildAgenciesSchema(): Promise<GraphQLSchema> {
  return buildFederatedSchema(
    { resolvers: [PartnershipResolver, AgencyResolver, SourceSystemResolver, AuditResolver] },
    {
      Partnership: { __resolveReference: resolvePartnershipReference },
      Agency: { __resolveReference: resolveAgencyReference },
      SourceSystem: { __resolveReference: resolveSourceSystemReference },
    },
  );
}
