import type { GraphQLSchema } from 'graphql';
import { buildFederatedSchema } from '@mash/service-kit';
import { resolveCaseReference } from './case.reference';
import { CaseEscalationsResolver } from './case.resolver';
import { resolveEscalationReference } from './escalation.reference';
import { EscalationActionsResolver } from './escalation-actions.resolver';
import { EscalationRecordsResolver } from './escalation-records.resolver';
import { EscalationResolver } from './escalation.resolver';
import { EscalationLearningResolver } from './learning.resolver';

/** The escalations subgraph schema (Federation 2). Needs no database: resolvers reach services via the context. */
export async function buildEscalationsSchema(): Promise<GraphQLSchema> {
  return buildFederatedSchema(
    {
      resolvers: [
        EscalationResolver,
        EscalationActionsResolver,
        EscalationRecordsResolver,
        CaseEscalationsResolver,
        EscalationLearningResolver,
      ],
    },
    {
      Escalation: { __resolveReference: resolveEscalationReference },
      Case: { __resolveReference: resolveCaseReference },
    },
  );
}
