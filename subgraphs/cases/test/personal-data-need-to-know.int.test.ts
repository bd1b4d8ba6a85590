import { integrator, policePractitioner, POLICE_ID, statusChange } from '@test/support/fixtures/cases';
import { casesOnBroker } from '@test/support/fixtures/cases-harness';
import { gql } from '@test/support/gateway-client';
import { Demo } from '@mash/schema';

// Integration: the real cases service on a real Kafka broker and a throwaway Postgres database with the real
// migrations and the demo data.

describe('cases refuse personal data to callers without a need to know', () => {
  const h = casesOnBroker();

  // The police become involved in the demo subject's case, as the matched status change tests leave it.
  beforeAll(async () => {
    const change = statusChange(POLICE_ID, { threshold: 'child-protection', riskLevel: 'high' });
    await h.publish(change);
    await h.caseEventFor(change.id);
  });

  it('refuses personal data to an agency integrator and to agencies not involved', async () => {
    const query = `query ($id: ID!) { case(id: $id) { id } }`;
    const asIntegrator = await gql(h.cases.url, query, { id: Demo.subject.caseId }, integrator);
    expect(asIntegrator.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
    expect(asIntegrator.data).toEqual({ case: null });

    const list = await gql(
      h.cases.url,
      `query ($p: ID!) { cases(partnershipId: $p) { nodes { id } } }`,
      { p: Demo.partnershipId },
      integrator,
    );
    expect(list.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');

    const notInvolved = await gql(h.cases.url, query, { id: Demo.subjectB.caseId }, policePractitioner);
    expect(notInvolved.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');

    const listed = await gql<{ cases: { nodes: { id: string }[] } }>(
      h.cases.url,
      `query ($p: ID!) { cases(partnershipId: $p, status: OPEN) { nodes { id } } }`,
      { p: Demo.partnershipId },
      policePractitioner,
    );
    expect(listed.data?.cases.nodes.map((c) => c.id)).toEqual([Demo.subject.caseId]);

    const unauthenticated = await gql(h.cases.url, query, { id: Demo.subject.caseId });
    expect(unauthenticated.errors?.[0]?.extensions?.['code']).toBe('UNAUTHENTICATED');
  });
});
