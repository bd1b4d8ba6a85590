import { buildFederatedSchema } from '@mash/service-kit';
import type { GraphQLSchema } from 'graphql';
import { SourceSystemHealthResolver } from './source-system.resolver';
import { SourceSystem } from './source-system.type';

/**
 * The connector subgraph: `SourceSystem.health`, served by the connector because it owns the figures (schema
 * `ingest`). Built without a database, so `npm run compose` can print the SDL.
 */
export async function buildConnectorSchema(): Promise<GraphQLSchema> {
  return buildFederatedSchema(
    { resolvers: [SourceSystemHealthResolver], orphanedTypes: [SourceSystem] },
    { SourceSystem: { __resolveReference: (reference: Record<string, unknown>) => reference } },
  );
}
