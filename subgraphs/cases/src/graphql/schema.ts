import { buildFederatedSchema } from '@mash/service-kit';
import type { GraphQLSchema } from 'graphql';
import { AgencyRef } from './agency.type';
import { PartnershipRef } from './partnership.type';
import { resolveCaseReference } from './case.reference';
import { resolveStatusChangeReference } from './status-change.reference';
import { resolveSubjectReference } from './subject.reference';
import { CaseResolver } from './case.resolver';
import { PlanResolver } from './plan.resolver';
import { StatusChangeResolver } from './status-change.resolver';
import { SubjectResolver } from './subject.resolver';
import { SourceSystemUnmatchedResolver } from './source-system.resolver';
import { SourceSystemRef } from './source-system.type';
import { UnmatchedStatusChangeResolver } from './unmatched.resolver';

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
        SourceSystemUnmatchedResolver,
      ],
      orphanedTypes: [AgencyRef, PartnershipRef, SourceSystemRef],
    },
    {
      Case: { __resolveReference: resolveCaseReference },
      Subject: { __resolveReference: resolveSubjectReference },
      StatusChange: { __resolveReference: resolveStatusChangeReference },
      // Nothing to load: the representation carries what `unmatched` requires.
      SourceSystem: { __resolveReference: (reference: Record<string, unknown>) => reference },
    },
  );
}
