import http from 'node:http';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { composeServices } from '@apollo/composition';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { startGateway } from '@mash/gateway';
import {
  MashGraphQLError,
  createLogger,
  silentLogger,
  startGraphQLHttpServer,
  type RunningServer,
} from '@mash/platform';
import { ErrorCodes, errorCodesOn, type ErrorCode } from '@mash/schema';
import { testJwt, testToken } from '../../support/auth';
import { gql } from '../../support/gateway-client';

// A table test generated from the error registry: a subgraph served by the same HTTP kit as the real ones throws
// each GraphQL code on one field, and the real gateway must hand it to the caller with its code, message and
// retriable flag on that field's path, while the sibling field keeps its data.

const PROBE_SDL = /* GraphQL */ `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
  type Query {
    ok: String!
    fail(code: String!): String
    failHard(code: String!): String!
    crash: String
  }
`;
const BROKEN_SDL = /* GraphQL */ `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
  type Query {
    brokenField: String
  }
`;

const token = testToken({ sub: 'c-1', roles: ['mash-officer'], partnership: 'p-1' });

describe('every registry code reaches the gateway caller', () => {
  let probe: RunningServer;
  let broken: http.Server;
  let gateway: { url: string; stop(): Promise<void> };
  const logLines: string[] = [];

  beforeAll(async () => {
    probe = await startGraphQLHttpServer({
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
              fail: (_: unknown, { code }: { code: string }) => {
                throw new MashGraphQLError(code as ErrorCode, `probe says ${code}`);
              },
              failHard: (_: unknown, { code }: { code: string }) => {
                throw new MashGraphQLError(code as ErrorCode, `probe says ${code}`);
              },
              crash: () => {
                throw new Error('relation "cases.subject" at /work/secret/file.ts SELECT value FROM x');
              },
            },
          },
        }),
      },
    });
    broken = http.createServer((_req, res) => {
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
    const dir = mkdtempSync(path.join(tmpdir(), 'mash-probe-'));
    const supergraphPath = path.join(dir, 'supergraph.graphql');
    writeFileSync(supergraphPath, composed.supergraphSdl);
    const unused = 'http://127.0.0.1:9/graphql';
    gateway = await startGateway(
      {
        host: '127.0.0.1',
        port: 0,
        supergraphPath,
        subgraphUrls: { agencies: unused, contacts: unused, cases: unused, escalations: unused },
        jwt: testJwt,
        subgraphTimeoutMs: 5000,
      },
      {
        logger: createLogger('gateway', {
          level: 'debug',
          destination: { write: (line: string) => void logLines.push(line) },
        }),
      },
    );
  });

  afterAll(async () => {
    await gateway?.stop();
    await probe?.stop();
    await new Promise((resolve) => broken?.close(resolve));
  });

  const graphqlCodes = errorCodesOn('graphql').filter((c) => c !== 'INTERNAL');

  it.each(graphqlCodes)(
    '%s keeps its code, message and retriable flag on the failing field',
    async (code) => {
      const res = await gql<{ ok: string; fail: null }>(
        gateway.url,
        `{ ok fail(code: "${code}") }`,
        {},
        token,
      );
      expect(res.status).toBe(200);
      expect(res.data).toEqual({ ok: 'fine', fail: null });
      expect(res.errors).toEqual([
        {
          message: `probe says ${code}`,
          path: ['fail'],
          extensions: { code, retriable: ErrorCodes[code].retriable, serviceName: 'probe' },
        },
      ]);
    },
  );

  // A non-null root field that fails leaves no data, so the subgraph answers with the code's HTTP status (4xx/5xx):
  // the gateway must still read the GraphQL body instead of reporting a transport failure.
  it.each(graphqlCodes)('%s survives a subgraph answer with no data and its HTTP status', async (code) => {
    const res = await gql(gateway.url, `{ failHard(code: "${code}") }`, {}, token);
    expect(res.data).toBeNull();
    expect(res.errors).toEqual([
      {
        message: `probe says ${code}`,
        path: ['failHard'],
        extensions: { code, retriable: ErrorCodes[code].retriable, serviceName: 'probe' },
      },
    ]);
  });

  it('turns an unexpected subgraph fault into INTERNAL with no internals, and keeps the sibling', async () => {
    const res = await gql<{ ok: string; crash: null }>(gateway.url, `{ ok crash }`, {}, token);
    expect(res.data).toEqual({ ok: 'fine', crash: null });
    expect(res.errors).toEqual([
      {
        message: ErrorCodes.INTERNAL.description,
        path: ['crash'],
        extensions: { code: 'INTERNAL', retriable: true, serviceName: 'probe' },
      },
    ]);
  });

  it('turns a subgraph that answers something other than GraphQL into SUBGRAPH_UNAVAILABLE', async () => {
    const res = await gql<{ ok: string; brokenField: null }>(gateway.url, `{ ok brokenField }`, {}, token);
    expect(res.data).toEqual({ ok: 'fine', brokenField: null });
    expect(res.errors).toHaveLength(1);
    expect(res.errors![0]!.extensions).toEqual({
      code: 'SUBGRAPH_UNAVAILABLE',
      retriable: true,
      serviceName: 'broken',
    });
    const text = JSON.stringify(res);
    expect(text).not.toMatch(/10\.0\.0\.7|html|stack|127\.0\.0\.1|"response"/);
  });

  it('writes no subgraph body, URL or query into its logs', async () => {
    await gql(gateway.url, `{ ok brokenField crash fail(code: "NOT_FOUND") }`, {}, token);
    const text = logLines.join('\n');
    expect(text).not.toMatch(/10\.0\.0\.7|<html|Bad gateway|\/work\/secret|SELECT value/);
    expect(text).not.toContain(token);
  });

  it('covers every GraphQL code of the registry', () => {
    expect([...graphqlCodes, 'INTERNAL'].sort()).toEqual(errorCodesOn('graphql').sort());
  });
});
