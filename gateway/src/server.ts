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
  const gateway = new ApolloGateway({
    supergraphSdl,
    logger,
    buildService: ({ name, url }) => {
      const target = (SUBGRAPH_NAMES as readonly string[]).includes(name)
        ? config.subgraphUrls[name as SubgraphName]
        : url;
      if (!target) throw new Error(`no URL for subgraph ${name}`);
      return new AuthenticatedSubgraphSource(name, target, config.subgraphTimeoutMs);
    },
  });
  const server = await startGraphQLHttpServer<GatewayContext>({
    name: 'gateway',
    host: config.host,
    port: config.port,
    logger,
    apollo: { gateway, introspection: config.limits?.introspection ?? false, ...armorFor(config.limits) },
    context: (req) => gatewayContext(verifier, req),
    ready: () => allSubgraphsReady(Object.values(config.subgraphUrls)),
    formatError: gatewayFormatError(logger),
  });
  return { name: 'gateway', url: server.url, stop: () => server.stop() };
}
