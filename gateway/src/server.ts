import { readFileSync } from 'node:fs';
import { ApolloGateway } from '@apollo/gateway';
import {
  JwtVerifier,
  createLogger,
  startGraphQLHttpServer,
  type Logger,
  type RunningService,
} from '@mash/service-kit';
import { SUBGRAPH_NAMES, type GatewayConfig, type SubgraphName } from './config';
import { gatewayContext, type GatewayContext } from './context';
import { gatewayFormatError } from './errors';
import { armorFor } from './limits';
import { allSubgraphsReady } from './readiness';
import { AuthenticatedSubgraphSource } from './subgraph-source';

/**
 * Subgraphs whose identical in-flight queries may share one call: reference data and the professional directory.
 * Cases and escalations are not among them, because their reads of personal data are audited per caller.
 */
export const SHARED_FETCH_SUBGRAPHS: readonly string[] = ['agencies', 'contacts'];

export interface GatewayOptions {
  readonly logger?: Logger;
}

/** Starts the federated gateway on the committed supergraph. */
export async function startGateway(
  config: GatewayConfig,
  options: GatewayOptions = {},
): Promise<RunningService & { url: string }> {
  const logger = (options.logger ?? createLogger('gateway')).child({ component: 'gateway' });
  const verifier = new JwtVerifier(config.jwt);
  const supergraphSdl = readFileSync(config.supergraphPath, 'utf8');
  const sources: AuthenticatedSubgraphSource[] = [];
  const gateway = new ApolloGateway({
    supergraphSdl,
    logger,
    buildService: ({ name, url }) => {
      const target = (SUBGRAPH_NAMES as readonly string[]).includes(name)
        ? config.subgraphUrls[name as SubgraphName]
        : url;
      if (!target) throw new Error(`no URL for subgraph ${name}`);
      const source = new AuthenticatedSubgraphSource(
        name,
        target,
        config.subgraphTimeoutMs,
        (config.sharedFetchSubgraphs ?? SHARED_FETCH_SUBGRAPHS).includes(name),
      );
      sources.push(source);
      return source;
    },
  });
  const server = await startGraphQLHttpServer<GatewayContext>({
    name: 'gateway',
    host: config.host,
    port: config.port,
    logger,
    apollo: { gateway, introspection: config.limits?.introspection ?? false, ...armorFor(config.limits) },
    context: async (req) => gatewayContext(verifier, req),
    ready: () => allSubgraphsReady(Object.values(config.subgraphUrls)),
    formatError: gatewayFormatError(logger),
  });
  return {
    name: 'gateway',
    url: server.url,
    async stop() {
      await server.stop();
      await Promise.all(sources.map((s) => s.close()));
    },
  };
}
