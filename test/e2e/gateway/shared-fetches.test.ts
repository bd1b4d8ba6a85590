import { testToken } from '@test/support/auth';
import { gql } from '@test/support/gateway-client';
import { startProbeGraph, type ProbeGraph } from '@test/support/probe-graph';

// Identical queries in flight at once, for the same token, share one call to a subgraph that serves no personal
// data; different callers never share, and a subgraph left out of the shared list is called per request (the
// audited subgraphs share too, recording every reader: shared-audited-reads.test.ts).

const alice = testToken({ sub: 'c-1', roles: ['mash-officer'], partnership: 'p-1' });
const bob = testToken({ sub: 'c-2', roles: ['mash-officer'], partnership: 'p-1' });

async function burst(graph: ProbeGraph, tokens: string[]): Promise<number> {
  const before = graph.slowCalls();
  const answers = await Promise.all(
    tokens.map((t) => gql<{ slow: string }>(graph.gatewayUrl, '{ slow }', {}, t)),
  );
  for (const a of answers) expect(a).toEqual({ status: 200, data: { slow: 'late' } });
  return graph.slowCalls() - before;
}

describe('shared in-flight subgraph fetches', () => {
  let shared: ProbeGraph;
  let unshared: ProbeGraph;

  beforeAll(async () => {
    // Operations are not shared here, so each request reaches the data source.
    shared = await startProbeGraph({ sharedFetchSubgraphs: ['probe'], shareOperations: false });
    unshared = await startProbeGraph({ sharedFetchSubgraphs: [], shareOperations: false });
  });

  afterAll(async () => {
    await shared?.stop();
    await unshared?.stop();
  });

  it('makes one call for five identical concurrent queries from the same caller', async () => {
    expect(await burst(shared, [alice, alice, alice, alice, alice])).toBe(1);
  });

  it('never shares a call between two callers', async () => {
    expect(await burst(shared, [alice, bob, alice, bob])).toBe(2);
  });

  it('calls a subgraph that is not shared once per request', async () => {
    expect(await burst(unshared, [alice, alice, alice])).toBe(3);
  });
});
