import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { silentLogger } from '@mash/service-kit';
import { testJwt, testToken } from '@test/support/auth';
import { startGateway } from './server';

/** A port that was just free: nothing listens there. */
async function deadUrl(): Promise<string> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/graphql`;
}

describe('the gateway when a subgraph is down', () => {
  let gateway: { url: string; stop(): Promise<void> };

  beforeAll(async () => {
    const dead = await deadUrl();
    gateway = await startGateway(
      {
        host: '127.0.0.1',
        port: 0,
        supergraphPath: path.resolve(__dirname, '..', '..', 'schema', 'supergraph.graphql'),
        subgraphUrls: { agencies: dead, contacts: dead, cases: dead, escalations: dead, connector: dead },
        jwt: testJwt,
        subgraphTimeoutMs: 2000,
      },
      { logger: silentLogger() },
    );
  });

  afterAll(async () => {
    await gateway?.stop();
  });

  it('answers SUBGRAPH_UNAVAILABLE, marked retriable, instead of an internal error', async () => {
    const token = testToken({ sub: 'c-1', roles: ['mash-officer'], partnership: 'p-1' });
    const res = await fetch(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: '{ partnerships { id } }' }),
    });
    const body = (await res.json()) as { errors?: { extensions?: Record<string, unknown> }[] };
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'SUBGRAPH_UNAVAILABLE', retriable: true });
  });

  it('reports not ready while a subgraph does not answer, but stays alive', async () => {
    expect((await fetch(new URL('/ready', gateway.url))).status).toBe(503);
    expect((await fetch(new URL('/health', gateway.url))).status).toBe(200);
  });
});
