import { buildFederatedSchema } from '@mash/service-kit';
import type { GraphQLSchema } from 'graphql';
import { AgencyRef } from './graphql/agency.type';
import { PartnershipRef } from './graphql/partnership.type';
import { resolveCaseReference } from './references/case.reference';
import { resolveStatusChangeReference } from './references/status-change.reference';
import { resolveSubjectReference } from './references/subject.reference';
import { CaseResolver } from './resolvers/case.resolver';
import { PlanResolver } from './resolvers/plan.resolver';
import { StatusChangeResolver } from './resolvers/status-change.resolver';
import { SubjectResolver } from './resolvers/subject.resolver';
import { UnmatchedStatusChangeResolver } from './resolvers/unmatched.resolver';

/**
 * The cases subgraph schema (Federation 2). It holds no database: resolvers reach the services and loaders
 * through the GraphQL context, so `npm run compose` can print the SDL without one.
 */
export async function buildCasesSchema(): Promise<GraphQLSchema> {
  return buildFederatedSchema(
    {
      resolvers: [
        CaseResolver,
        SubjectResolver,
        StatusChangeResolver,
        PlanResolver,
        UnmatchedStatusChangeResolver,
      ],
      orphanedTypes: [AgencyRef, PartnershipRef],
    },
    {
      Case: { __resolveReference: resolveCaseReference },
      Subject: { __resolveReference: resolveSubjectReference },
      StatusChange: { __resolveReference: resolveStatusChangeReference },
    },
  );
}
