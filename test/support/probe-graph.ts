import http from 'node:http';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { composeServices } from '@apollo/composition';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { startGateway, type GatewayLimits } from '@mash/gateway';
import { MashGraphQLError, silentLogger, startGraphQLHttpServer, type Logger } from '@mash/service-kit';
import type { ErrorCode } from '@mash/schema';
import { testJwt } from './auth';

// A small federated graph for testing the gateway itself: the real gateway over a "probe" subgraph served by the
// same HTTP kit as the real subgraphs (its fields throw any registry code on demand, or nest as deep as asked),
// and a "broken" service that answers HTML instead of GraphQL.

const PROBE_SDL = /* GraphQL */ `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
  type Query {
    ok: String!
    fail(code: String!): String
    failHard(code: String!): String!
    crash: String
    slow: String!
    node: Node
  }
  type Node {
    id: ID!
    child: Node
  }
`;
const BROKEN_SDL = /* GraphQL */ `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
  type Query {
    brokenField: String
  }
`;

const throwCode = (_: unknown, { code }: { code: string }) => {
  throw new MashGraphQLError(code as ErrorCode, `probe says ${code}`);
};

export interface ProbeGraph {
  readonly gatewayUrl: string;
  /** How many times the probe subgraph resolved `slow` (one per call that reached it). */
  readonly slowCalls: () => number;
  stop(): Promise<void>;
}

export async function startProbeGraph(
  options: {
    limits?: Partial<GatewayLimits>;
    logger?: Logger;
    sharedFetchSubgraphs?: string[];
    shareOperations?: boolean;
  } = {},
): Promise<ProbeGraph> {
  let slowCalls = 0;
  const probe = await startGraphQLHttpServer({
    name: 'probe',
    port: 0,
    logger: silentLogger(),
    ready: async () => true,
    context: async () => ({}),
    apollo: {
      schema: buildSubgraphSchema({
        typeDefs: parse(PROBE_SDL),
        resolvers: {
          Query: {
            ok: () => 'fine',
            fail: throwCode,
            failHard: throwCode,
            crash: () => {
              throw new Error('relation "cases.subject" at /work/secret/file.ts SELECT value FROM x');
            },
            node: () => ({ id: '1' }),
            slow: async () => {
              slowCalls++;
              await new Promise((resolve) => setTimeout(resolve, 200));
              return 'late';
            },
          },
          Node: { child: (n: { id: string }) => ({ id: `${n.id}.1` }) },
        },
      }),
    },
  });
  const broken = http.createServer((_req, res) => {
    res.writeHead(502, { 'content-type': 'text/html' });
    res.end('<html><body>Bad gateway at http://10.0.0.7:8080/internal with stack trace</body></html>');
  });
  await new Promise<void>((resolve) => broken.listen(0, '127.0.0.1', resolve));
  const brokenUrl = `http://127.0.0.1:${(broken.address() as AddressInfo).port}/graphql`;

  const composed = composeServices([
    { name: 'probe', typeDefs: parse(PROBE_SDL), url: probe.url },
    { name: 'broken', typeDefs: parse(BROKEN_SDL), url: brokenUrl },
  ]);
  if (composed.errors) throw new Error(composed.errors.map((e) => e.message).join('; '));
  const supergraphPath = path.join(mkdtempSync(path.join(tmpdir(), 'mash-probe-')), 'supergraph.graphql');
  writeFileSync(supergraphPath, composed.supergraphSdl);
  const unused = 'http://127.0.0.1:9/graphql';
  const gateway = await startGateway(
    {
      host: '127.0.0.1',
      port: 0,
      supergraphPath,
      subgraphUrls: {
        agencies: unused,
        contacts: unused,
        cases: unused,
        escalations: unused,
        connector: unused,
      },
      jwt: testJwt,
      subgraphTimeoutMs: 5000,
      ...(options.limits && { limits: options.limits }),
      ...(options.sharedFetchSubgraphs && { sharedFetchSubgraphs: options.sharedFetchSubgraphs }),
      ...(options.shareOperations !== undefined && { shareOperations: options.shareOperations }),
    },
    { logger: options.logger ?? silentLogger() },
  );
  return {
    gatewayUrl: gateway.url,
    slowCalls: () => slowCalls,
    async stop() {
      await gateway.stop();
      await probe.stop();
      await new Promise((resolve) => broken.close(resolve));
    },
  };
}
