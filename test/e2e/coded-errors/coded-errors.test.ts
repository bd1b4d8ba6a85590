import { auditServer } from 'graphql-http';
import { Demo, errorCodesOn } from '@mash/schema';
import { thresholdDisagreementEvents } from '../../../scripts/lib/demo-events';
import type { RunningPlatform } from '../../../scripts/lib/platform';
import { startDemoPlatform, type DemoPlatform } from '@test/support/demo-platform';
import { eventually, gql, type GraphQLResponse } from '@test/support/gateway-client';
import { auditor, chair, laPractitioner, mashOfficer, policePractitioner } from '@test/support/demo-callers';

// What a dashboard meets when something is wrong, through the real gateway on the real platform: every failure
// is a coded error on the field that failed, siblings keep their data, and nothing internal is in the answer.

/** Nothing that only the inside knows: stacks, URLs of services, raw bodies, SQL. */
function expectNothingInternal(body: unknown): void {
  const text = JSON.stringify(body);
  expect(text).not.toMatch(/stacktrace|"stack"|exception|"response"|\bat [\w.]+ \(|\/work\/|node_modules/);
  expect(text).not.toMatch(/127\.0\.0\.1|localhost|http:\/\//);
  expect(text).not.toMatch(/\bSELECT\b|\bINSERT\b|\bUPDATE\b|relation "|violates/i);
}

function onlyError(res: GraphQLResponse<unknown>) {
  expect(res.errors).toHaveLength(1);
  return res.errors![0]!;
}

describe('coded errors through the gateway', () => {
  let demo: DemoPlatform;
  let platform: RunningPlatform;
  let escalationId: string;

  beforeAll(async () => {
    // graphql-http's audits ask for `__type`; introspection is otherwise off.
    demo = await startDemoPlatform({ gatewayLimits: { introspection: true } });
    platform = demo.platform;
    await demo.publish(thresholdDisagreementEvents(new Date(), 'coded-errors'));
    escalationId = await eventually(
      async () => {
        const res = await gql<{ escalations: { nodes: { id: string }[] } }>(
          platform.gatewayUrl,
          `query($p: ID!) { escalations(partnershipId: $p) { nodes { id } } }`,
          { p: Demo.partnershipId },
          mashOfficer,
        );
        return res.data?.escalations.nodes[0]?.id;
      },
      { what: 'the demo escalation', timeoutMs: 60_000 },
    );
  });

  afterAll(async () => {
    await demo?.stop();
  });

  it('answers NOT_FOUND on the field for an escalation that does not exist, and keeps sibling data', async () => {
    const res = await gql<{ escalation: null; partnerships: { name: string }[] }>(
      platform.gatewayUrl,
      `{ escalation(id: "11111111-2222-4333-8444-555555555555") { id } partnerships { name } }`,
      {},
      mashOfficer,
    );
    expect(res.status).toBe(200);
    expect(res.data).toEqual({
      escalation: null,
      partnerships: [
        { name: 'Lincolnshire Safeguarding Children Partnership' },
        { name: 'MK Together Safeguarding Partnership' },
      ],
    });
    const error = onlyError(res);
    expect(error.message).toBe('Escalation 11111111-2222-4333-8444-555555555555 not found.');
    expect(error.path).toEqual(['escalation']);
    expect(error.extensions).toEqual({ code: 'NOT_FOUND', retriable: false, serviceName: 'escalations' });
    expectNothingInternal(res);
  });

  it('answers escalationsByIds as escalation(id) answers each id, its coded error at its index', async () => {
    const FIELDS = 'id stage raisingAgency { id name } receivingAgency { name } case { id status }';
    const one = await gql<{ escalation: unknown }>(
      platform.gatewayUrl,
      `query($id: ID!) { escalation(id: $id) { ${FIELDS} } }`,
      { id: escalationId },
      mashOfficer,
    );
    expect(one.errors).toBeUndefined();
    const missing = '11111111-2222-4333-8444-555555555555';
    const BY_IDS = `query($ids: [ID!]!) { escalationsByIds(ids: $ids) { ${FIELDS} } }`;
    const res = await gql(platform.gatewayUrl, BY_IDS, { ids: [escalationId, missing] }, mashOfficer);
    expect(res.status).toBe(200);
    expect(res.data).toEqual({ escalationsByIds: [one.data!.escalation, null] });
    const error = onlyError(res);
    expect(error.message).toBe(`Escalation ${missing} not found.`);
    expect(error.path).toEqual(['escalationsByIds', 1]);
    expect(error.extensions).toEqual({ code: 'NOT_FOUND', retriable: false, serviceName: 'escalations' });
    expectNothingInternal(res);

    // An auditor may see no escalation: refused at each index.
    const refused = await gql(platform.gatewayUrl, BY_IDS, { ids: [escalationId, missing] }, auditor);
    expect(refused.data).toEqual({ escalationsByIds: [null, null] });
    expect(refused.errors?.map((e) => [e.path, e.extensions?.['code']])).toEqual([
      [['escalationsByIds', 0], 'FORBIDDEN'],
      [['escalationsByIds', 1], 'FORBIDDEN'],
    ]);
  });

  it('answers BAD_USER_INPUT when registering a subject with an identifier that belongs to another', async () => {
    const res = await gql(
      platform.gatewayUrl,
      `mutation($input: RegisterSubjectInput!) { registerSubject(input: $input) { id } }`,
      {
        input: {
          partnershipId: Demo.partnershipId,
          displayName: 'Someone else',
          identifiers: [{ system: 'police-person-id', value: Demo.subject.policePersonId }],
        },
      },
      mashOfficer,
    );
    expect(res.status).toBe(200);
    expect(res.data).toBeNull();
    const error = onlyError(res);
    expect(error.path).toEqual(['registerSubject']);
    expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', retriable: false });
    expect(JSON.stringify(res)).not.toContain(Demo.subject.policePersonId);
    expectNothingInternal(res);
  });

  it('answers BAD_USER_INPUT for an empty rationale, and for a timeline limit of 0', async () => {
    const ack = await gql(
      platform.gatewayUrl,
      `mutation($id: ID!) { acknowledgeEscalation(id: $id, rationale: "") { id } }`,
      { id: escalationId },
      laPractitioner,
    );
    expect(onlyError(ack)).toMatchObject({
      path: ['acknowledgeEscalation'],
      extensions: { code: 'BAD_USER_INPUT', retriable: false },
    });

    const timeline = await gql<{ case: { id: string; timeline: null } }>(
      platform.gatewayUrl,
      `query($id: ID!) { case(id: $id) { id timeline(first: 0) { nodes { id } } } }`,
      { id: Demo.subject.caseId },
      mashOfficer,
    );
    expect(timeline.data).toEqual({ case: null });
    expect(onlyError(timeline)).toMatchObject({
      path: ['case', 'timeline'],
      extensions: { code: 'BAD_USER_INPUT', retriable: false },
    });
    expectNothingInternal(timeline);
  });

  it('answers INVALID_TRANSITION when an escalation is resolved twice', async () => {
    const resolve = () =>
      gql<{ resolveEscalation: { status: string } }>(
        platform.gatewayUrl,
        `mutation($id: ID!) { resolveEscalation(id: $id, outcome: AGREED_ACTION_PLAN, outstandingIssues: "Reviewed at the next core group", rationale: "Met and agreed a plan") { status } }`,
        { id: escalationId },
        chair,
      );
    const first = await resolve();
    expect(first.errors).toBeUndefined();
    expect(first.data).toEqual({ resolveEscalation: { status: 'RESOLVED' } });
    const second = await resolve();
    expect(second.data).toBeNull();
    expect(onlyError(second)).toMatchObject({
      path: ['resolveEscalation'],
      extensions: { code: 'INVALID_TRANSITION', retriable: false },
    });
  });

  it('gives a police practitioner the case police is in and a coded error for the one it is not', async () => {
    const res = await gql<{ a: { id: string } | null; b: null }>(
      platform.gatewayUrl,
      `query($a: ID!, $b: ID!) { a: case(id: $a) { id } b: case(id: $b) { id } }`,
      { a: Demo.subject.caseId, b: Demo.subjectB.caseId },
      policePractitioner,
    );
    expect(res.status).toBe(200);
    // Police joined Child A's case with its strategy-discussion event; Child B's case is the local authority's.
    expect(res.data).toEqual({ a: { id: Demo.subject.caseId }, b: null });
    const error = onlyError(res);
    expect(error.path).toEqual(['b']);
    expect(['FORBIDDEN', 'NOT_FOUND']).toContain(error.extensions?.['code']);
    expect(error.extensions?.['retriable']).toBe(false);
    expectNothingInternal(res);
  });

  describe('requests that are not GraphQL over HTTP', () => {
    const post = (body: string | Buffer, contentType?: string) =>
      fetch(platform.gatewayUrl, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${mashOfficer}`,
          ...(contentType !== undefined && { 'content-type': contentType }),
        },
        body,
      });
    const cases: [string, () => Promise<Response>, number, string][] = [
      ['a body that is not JSON', () => post('hello', 'application/json'), 400, 'MALFORMED_JSON'],
      [
        'a wrong content type',
        () => post('{"query":"{ __typename }"}', 'text/plain'),
        415,
        'UNSUPPORTED_MEDIA_TYPE',
      ],
      [
        'an oversized body',
        () =>
          post(JSON.stringify({ query: `{ __typename }${' '.repeat(2 * 1024 * 1024)}` }), 'application/json'),
        413,
        'PAYLOAD_TOO_LARGE',
      ],
      [
        'a batched array',
        () =>
          post(
            JSON.stringify([{ query: '{ __typename }' }, { query: '{ __typename }' }]),
            'application/json',
          ),
        400,
        'BATCHING_NOT_SUPPORTED',
      ],
      ['another method', () => fetch(platform.gatewayUrl, { method: 'PUT' }), 405, 'METHOD_NOT_ALLOWED'],
      ['an empty body', () => post('', 'application/json'), 400, 'BAD_REQUEST'],
    ];
    it('covers every HTTP code of the registry', () => {
      expect(cases.map((c) => c[3]).sort()).toEqual(errorCodesOn('http').sort());
    });

    it.each(cases)('%s gets a coded JSON error', async (_what, send, status, code) => {
      const res = await send();
      expect(res.status).toBe(status);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      const body = (await res.json()) as GraphQLResponse<unknown>;
      expect(body.errors).toEqual([{ message: expect.any(String), extensions: { code, retriable: false } }]);
      expectNothingInternal(body);
    });

    it.each(['agencies', 'contacts', 'cases', 'escalations', 'connector'] as const)(
      'the %s subgraph answers a body that is not JSON with a coded JSON error too',
      async (name) => {
        const res = await fetch(platform.subgraphUrls[name], {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: 'hello',
        });
        expect(res.status).toBe(400);
        const body = (await res.json()) as GraphQLResponse<unknown>;
        expect(body.errors?.[0]?.extensions).toEqual({ code: 'MALFORMED_JSON', retriable: false });
        expectNothingInternal(body);
      },
    );
  });

  it("passes every MUST of graphql-http's server audits", async () => {
    const results = await auditServer({
      url: platform.gatewayUrl,
      fetchFn: (input: Parameters<typeof fetch>[0], init?: RequestInit) =>
        fetch(input, {
          ...init,
          headers: { ...(init?.headers as Record<string, string>), authorization: `Bearer ${mashOfficer}` },
        }),
    });
    const mustFailures = results
      .filter((r) => r.name.startsWith('MUST') && r.status !== 'ok')
      .map((r) => `${r.name}: ${'reason' in r ? r.reason : ''}`);
    expect(mustFailures).toEqual([]);
    expect(results.filter((r) => r.name.startsWith('MUST')).length).toBeGreaterThan(10);
  });
});
