import { ErrorCodes, type ErrorCode } from '@mash/schema';
import { testToken } from '@test/support/auth';
import { gql } from '@test/support/gateway-client';
import { startProbeGraph, type ProbeGraph } from '@test/support/probe-graph';

// The gateway refuses documents that would cost too much before planning them, each with its own code, and
// answers introspection only where configuration turns it on.

const token = testToken({ sub: 'c-1', roles: ['mash-officer'], partnership: 'p-1' });
const nested = (depth: number): string => (depth === 0 ? 'id' : `id child { ${nested(depth - 1)} }`);

describe('abuse limits at the gateway', () => {
  let graph: ProbeGraph;

  beforeAll(async () => {
    graph = await startProbeGraph({
      limits: { maxDepth: 6, maxAliases: 3, maxCost: 200, maxTokens: 400, maxDirectives: 3 },
    });
  });

  afterAll(async () => {
    await graph?.stop();
  });

  const refusals: [string, string, ErrorCode][] = [
    ['too deep', `{ node { ${nested(8)} } }`, 'QUERY_TOO_DEEP'],
    ['too many aliases', `{ a: ok b: ok c: ok d: ok e: ok }`, 'TOO_MANY_ALIASES'],
    [
      'too costly',
      `{ ${Array.from({ length: 3 }, (_, i) => `n${i}: node { ${nested(5)} }`).join(' ')} }`,
      'QUERY_TOO_COSTLY',
    ],
    ['too large', `{ ok ${'__typename '.repeat(500)} }`, 'DOCUMENT_TOO_LARGE'],
    [
      'too many directives',
      `{ ok @skip(if: false) node @skip(if: false) { id @include(if: true) child @include(if: true) { id } } }`,
      'TOO_MANY_DIRECTIVES',
    ],
    ['introspection while it is off', `{ __schema { types { name } } }`, 'INTROSPECTION_DISABLED'],
  ];

  it.each(refusals)('refuses a document that is %s with its code', async (_what, query, code) => {
    const res = await gql(graph.gatewayUrl, query, {}, token);
    expect(res.status).toBe(400);
    expect(res.data).toBeUndefined();
    // A document can break more than one limit (a deep one is costly too); each refusal is named.
    const codes = res.errors!.map((e) => e.extensions?.['code']);
    expect(codes).toContain(code);
    const error = res.errors!.find((e) => e.extensions?.['code'] === code)!;
    expect(error.extensions).toEqual({ code, retriable: ErrorCodes[code].retriable });
    expect(error.message).not.toMatch(/^Syntax Error/);
  });

  it('answers a document within every limit', async () => {
    const res = await gql(graph.gatewayUrl, `{ ok node { ${nested(4)} } }`, {}, token);
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({
      ok: 'fine',
      node: {
        id: '1',
        child: { id: '1.1', child: { id: '1.1.1', child: { id: '1.1.1.1', child: { id: '1.1.1.1.1' } } } },
      },
    });
  });

  it('gives no field suggestions that would reveal the schema', async () => {
    const res = await gql(graph.gatewayUrl, `{ okk }`, {}, token);
    expect(res.errors?.[0]?.extensions?.['code']).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(res.errors?.[0]?.message).not.toMatch(/Did you mean/);
  });
});

describe('introspection where configuration turns it on', () => {
  it('answers __schema', async () => {
    const graph = await startProbeGraph({ limits: { introspection: true } });
    try {
      const res = await gql<{ __schema: { queryType: { name: string } } }>(
        graph.gatewayUrl,
        `{ __schema { queryType { name } } }`,
        {},
        token,
      );
      expect(res.errors).toBeUndefined();
      expect(res.data).toEqual({ __schema: { queryType: { name: 'Query' } } });
    } finally {
      await graph.stop();
    }
  });
});
