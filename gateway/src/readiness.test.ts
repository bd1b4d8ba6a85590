import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { allSubgraphsReady } from './readiness';

/** A real HTTP server answering /ready with the given status. */
async function subgraph(status: number): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    res.statusCode = req.url === '/ready' ? status : 404;
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe('gateway readiness', () => {
  it('is ready when every subgraph answers ready', async () => {
    const a = await subgraph(200);
    const b = await subgraph(200);
    try {
      expect(await allSubgraphsReady([a.url, b.url])).toBe(true);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('is not ready when one subgraph says it is not ready', async () => {
    const a = await subgraph(200);
    const b = await subgraph(503);
    try {
      expect(await allSubgraphsReady([a.url, b.url])).toBe(false);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('is not ready when a subgraph does not answer at all', async () => {
    const a = await subgraph(200);
    const gone = await subgraph(200);
    await gone.close();
    try {
      expect(await allSubgraphsReady([a.url, gone.url], 500)).toBe(false);
    } finally {
      await a.close();
    }
  });
});
