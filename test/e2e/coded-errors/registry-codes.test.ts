import { createLogger } from '@mash/service-kit';
import { ErrorCodes, errorCodesOn } from '@mash/schema';
import { testToken } from '@test/support/auth';
import { gql } from '@test/support/gateway-client';
import { startProbeGraph, type ProbeGraph } from '@test/support/probe-graph';

// A table test generated from the error registry: a subgraph served by the same HTTP kit as the real ones throws
// each GraphQL code on one field, and the real gateway must hand it to the caller with its code, message and
// retriable flag on that field's path, while the sibling field keeps its data.

const token = testToken({ sub: 'c-1', roles: ['mash-officer'], partnership: 'p-1' });

describe('every registry code reaches the gateway caller', () => {
  let graph: ProbeGraph;
  const logLines: string[] = [];
  const url = () => graph.gatewayUrl;

  beforeAll(async () => {
    graph = await startProbeGraph({
      logger: createLogger('gateway', {
        level: 'debug',
        destination: { write: (line: string) => void logLines.push(line) },
      }),
    });
  });

  afterAll(async () => {
    await graph?.stop();
  });

  const graphqlCodes = errorCodesOn('graphql').filter((c) => c !== 'INTERNAL');

  it.each(graphqlCodes)(
    '%s keeps its code, message and retriable flag on the failing field',
    async (code) => {
      const res = await gql<{ ok: string; fail: null }>(url(), `{ ok fail(code: "${code}") }`, {}, token);
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
    const res = await gql(url(), `{ failHard(code: "${code}") }`, {}, token);
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
    const res = await gql<{ ok: string; crash: null }>(url(), `{ ok crash }`, {}, token);
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
    const res = await gql<{ ok: string; brokenField: null }>(url(), `{ ok brokenField }`, {}, token);
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
    await gql(url(), `{ ok brokenField crash fail(code: "NOT_FOUND") }`, {}, token);
    const text = logLines.join('\n');
    expect(text).not.toMatch(/10\.0\.0\.7|<html|Bad gateway|\/work\/secret|SELECT value/);
    expect(text).not.toContain(token);
  });

  it('covers every GraphQL code of the registry', () => {
    expect([...graphqlCodes, 'INTERNAL'].sort()).toEqual(errorCodesOn('graphql').sort());
  });
});
