import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { createGatewayRuntime } from '@graphql-hive/gateway-runtime';

export interface StockGateway {
  readonly url: string;
  stop(): Promise<void>;
}

interface StockContext {
  readonly authorization?: string;
}

/**
 * A stock Apollo Gateway as its documentation sets one up: `ApolloServer` defaults under `startStandaloneServer`,
 * a `RemoteGraphQLDataSource` per subgraph that only forwards the caller's Authorization header, and the subgraph
 * URLs recorded in the supergraph replaced by where the subgraphs run now. It verifies no token itself.
 */
export async function startStockApolloGateway(
  supergraphSdl: string,
  subgraphUrls: Readonly<Record<string, string>>,
): Promise<StockGateway> {
  const gateway = new ApolloGateway({
    supergraphSdl,
    buildService: ({ name, url }) =>
      new RemoteGraphQLDataSource<StockContext>({
        url: subgraphUrls[name] ?? url,
        willSendRequest({ request, context }) {
          if (context.authorization) request.http?.headers.set('authorization', context.authorization);
        },
      }),
  });
  const server = new ApolloServer<StockContext>({ gateway });
  const { url } = await startStandaloneServer(server, {
    listen: { host: '127.0.0.1', port: 0 },
    context: async ({ req }) => ({ authorization: req.headers.authorization }),
  });
  return { url, stop: () => server.stop() };
}

/**
 * Hive Gateway's runtime (what `hive-gateway supergraph` serves) on Node's own http server: the same supergraph,
 * each subgraph's location overridden, and the caller's Authorization header propagated to every subgraph.
 * Logging is off, as it is for the other two.
 */
export async function startHiveGateway(
  supergraphSdl: string,
  subgraphUrls: Readonly<Record<string, string>>,
): Promise<StockGateway> {
  const runtime = createGatewayRuntime({
    supergraph: supergraphSdl,
    transportEntries: Object.fromEntries(
      Object.entries(subgraphUrls).map(([name, location]) => [name, { location }]),
    ),
    propagateHeaders: {
      fromClientToSubgraphs: ({ request }) => ({ authorization: request.headers.get('authorization') }),
    },
    logging: false,
  });
  const server: Server = createServer(runtime);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await runtime.dispose();
    },
  };
}
