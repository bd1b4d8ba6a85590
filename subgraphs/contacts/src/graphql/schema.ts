import { buildFederatedSchema } from '@mash/service-kit';
import type { GraphQLSchema } from 'graphql';
import { resolveAgencyReference } from './agency.reference';
import { AgencyContactsResolver } from './agency.resolver';
import { Agency } from './agency.type';
import { resolveContactReference } from './contact.reference';
import { ContactResolver } from './contact.resolver';
import { resolveEscalationReference } from './escalation.reference';
import { EscalationRoutingResolver } from './escalation.resolver';
import { Escalation } from './escalation.type';
import { NotificationResolver } from './notification.resolver';
import { Partnership } from './partnership.type';

/**
 * The contacts subgraph schema. Built without a database: resolvers reach their services and loaders through
 * the GraphQL context, so `npm run compose` can print the SDL.
 */
export async function buildContactsSchema(): Promise<GraphQLSchema> {
  return buildFederatedSchema(
    {
      resolvers: [ContactResolver, AgencyContactsResolver, EscalationRoutingResolver, NotificationResolver],
      orphanedTypes: [Agency, Escalation, Partnership],
    },
    {
      Contact: { __resolveReference: resolveContactReference },
      Agency: { __resolveReference: resolveAgencyReference },
      Escalation: { __resolveReference: resolveEscalationReference },
    },
  );
}
