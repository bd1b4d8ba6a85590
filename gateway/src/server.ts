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
import { boardRoutes } from './board';
import { allSubgraphsReady } from './readiness';
import { operationSharing } from './operation-sharing';
import { Registry } from 'prom-client';
import { AuthenticatedSubgraphSource, subgraphCallMetrics, type SubgraphSharing } from './subgraph-source';
import { attachLive, type LiveOptions } from './live/attach';
import type { LiveHub } from './live/hub';

/**
 * Subgraphs whose identical in-flight queries for the same token share one call (`AuthenticatedSubgraphSource`).
 */
export const SHARED_FETCH_SUBGRAPHS: readonly string[] = ['agencies', 'contacts', 'cases', 'escalations'];

/**
 * Subgraphs that audit each caller's reads of personal data: a call shared by several requests of one caller is
 * followed, before any joiner gets the answer, by one `POST /audit/shared-reads` that records every joiner's read
 * as if it had called (the leader's entries copied under each joiner's request id); if it fails, the joiners get
 * INTERNAL and no data.
 */
export const AUDITED_SUBGRAPHS: readonly string[] = ['cases', 'escalations'];

function sharingOf(name: string, shared: readonly string[]): SubgraphSharing {
  if (!shared.includes(name)) return 'none';
  return AUDITED_SUBGRAPHS.includes(name) ? 'audited' : 'shared';
}

export interface GatewayOptions {
  readonly logger?: Logger;
  /** Live escalation changes (subscriptions): where the escalation events are. Off without it. */
  readonly live?: LiveOptions;
}

export interface RunningGateway extends RunningService {
  readonly url: string;
  /** The live hub, when subscriptions are on (tests and benchmarks read its subscriber count). */
  readonly live?: LiveHub;
  /** Resolves once the live consumer has joined its group: events from then on reach subscribers. */
  readonly liveReady?: Promise<void>;
}

/** Starts the federated gateway on the committed supergraph. */
export async function startGateway(
  config: GatewayConfig,
  options: GatewayOptions = {},
): Promise<RunningGateway> {
  const logger = (options.logger ?? createLogger('gateway')).child({ component: 'gateway' });
  const verifier = new JwtVerifier(config.jwt);
  const supergraphSdl = readFileSync(config.supergraphPath, 'utf8');
  const sources: AuthenticatedSubgraphSource[] = [];
  const metrics = new Registry();
  const callMetrics = subgraphCallMetrics(metrics);
  const recorders = new Map<string, AuthenticatedSubgraphSource>();
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
        sharingOf(name, config.sharedFetchSubgraphs ?? SHARED_FETCH_SUBGRAPHS),
        logger,
        callMetrics,
        AUDITED_SUBGRAPHS.includes(name),
      );
      recorders.set(name, source);
      sources.push(source);
      return source;
    },
  });
  let live: Awaited<ReturnType<typeof attachLive>> | undefined;
  const liveOptions = options.live;
  const server = await startGraphQLHttpServer<GatewayContext>({
    name: 'gateway',
    host: config.host,
    port: config.port,
    logger,
    apollo: { gateway, introspection: config.limits?.introspection ?? false, ...armorFor(config.limits) },
    context: (req) => gatewayContext(verifier, req),
    ready: () => allSubgraphsReady(Object.values(config.subgraphUrls)),
    formatError: gatewayFormatError(logger),
    extraMetrics: [metrics],
    ...((config.shareOperations ?? true) && { shareOperations: operationSharing(recorders, metrics) }),
    routes: {
      ...boardRoutes(),
      '/graphql/stream': (req, res) => {
        if (live) return live.sse(req, res);
        res.writeHead(404, { 'content-type': 'application/json' }).end();
      },
    },
    ...(liveOptions && {
      attach: async ({ httpServer, apollo }) => {
        live = await attachLive({
          httpServer,
          apollo,
          gateway,
          verifier,
          logger,
          options: liveOptions,
          metrics,
          recorders,
        });
        return live;
      },
    }),
  });
  return {
    name: 'gateway',
    url: server.url,
    ...(live && { live: live.hub, liveReady: live.joined }),
    async stop() {
      await server.stop();
      await Promise.all(sources.map((s) => s.close()));
    },
  };
}
