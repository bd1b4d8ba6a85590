import { Demo } from '@mash/schema';
import { thresholdDisagreementEvents } from '../../../scripts/lib/demo-events';
import type { RunningPlatform } from '../../../scripts/lib/platform';
import { startDemoPlatform, type DemoPlatform } from '@test/support/demo-platform';
import { eventually, gql } from '@test/support/gateway-client';
import { mashOfficer } from '@test/support/demo-callers';

// Every list that grows is read a page at a time through the gateway: `first` (1 to 500) and `after` (the
// previous page's endCursor), answered as { nodes, pageInfo { endCursor hasNextPage } }.

interface Page<T> {
  nodes: T[];
  pageInfo: { endCursor: string | null; hasNextPage: boolean };
}

describe('cursor pagination through the gateway', () => {
  let demo: DemoPlatform;
  let platform: RunningPlatform;
  const strangers = ['LCS-900001', 'LCS-900002', 'LCS-900003'];

  beforeAll(async () => {
    demo = await startDemoPlatform();
    ({ platform } = demo);
    const events = thresholdDisagreementEvents(new Date(), 'pagination');
    const template = events[0]!;
    const unmatched = strangers.map((value, i) => ({
      ...template,
      key: value,
      event: {
        ...template.event,
        id: `lcs-referral-outcome-pagination-stranger-${i}`,
        data: { ...(template.event['data'] as object), subject: { system: 'la-person-id', value } },
      },
    }));
    // One at a time, in order.
    await demo.publish([...events, ...unmatched]);
    await eventually(
      async () => {
        const res = await gql<{ escalations: Page<{ id: string }>; unmatchedStatusChanges: Page<unknown> }>(
          platform.gatewayUrl,
          `query($p: ID!) { escalations(partnershipId: $p) { nodes { id } }
             unmatchedStatusChanges(partnershipId: $p) { nodes { id } } }`,
          { p: Demo.partnershipId },
          mashOfficer,
        );
        const ready =
          res.data?.escalations.nodes.length === 1 && res.data.unmatchedStatusChanges.nodes.length === 3;
        return ready ? true : undefined;
      },
      { what: 'the escalation and three unmatched changes', timeoutMs: 60_000 },
    );
  }, 120_000);

  afterAll(async () => {
    await demo?.stop();
  });

  /** Reads a whole list a page of `first` at a time; returns each page's node ids and hasNextPage. */
  async function pages(
    query: string,
    pick: (data: Record<string, unknown>) => Page<{ id: string }>,
    first: number,
  ): Promise<{ ids: string[]; hasNextPage: boolean }[]> {
    const out: { ids: string[]; hasNextPage: boolean }[] = [];
    let after: string | null = null;
    for (let i = 0; i < 10; i++) {
      const res = await gql<Record<string, unknown>>(
        platform.gatewayUrl,
        query,
        { p: Demo.partnershipId, c: Demo.subject.caseId, first, after },
        mashOfficer,
      );
      expect(res.errors).toBeUndefined();
      const page = pick(res.data!);
      out.push({ ids: page.nodes.map((n) => n.id), hasNextPage: page.pageInfo.hasNextPage });
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    return out;
  }

  it('pages through cases, newest first', async () => {
    const all = await gql<{ cases: Page<{ id: string }> }>(
      platform.gatewayUrl,
      `query($p: ID!) { cases(partnershipId: $p) { nodes { id } pageInfo { hasNextPage } } }`,
      { p: Demo.partnershipId },
      mashOfficer,
    );
    const ids = all.data!.cases.nodes.map((n) => n.id);
    // The demo's five children, each with an open case.
    const demoCases = [Demo.subject, Demo.subjectB, Demo.subjectC, Demo.subjectD, Demo.subjectE];
    expect([...ids].sort()).toEqual(demoCases.map((c) => c.caseId).sort());
    expect(all.data!.cases.pageInfo.hasNextPage).toBe(false);
    const paged = await pages(
      `query($p: ID!, $first: Int, $after: String) { cases(partnershipId: $p, first: $first, after: $after) {
         nodes { id } pageInfo { endCursor hasNextPage } } }`,
      (d) => d['cases'] as Page<{ id: string }>,
      2,
    );
    expect(paged).toEqual([
      { ids: ids.slice(0, 2), hasNextPage: true },
      { ids: ids.slice(2, 4), hasNextPage: true },
      { ids: ids.slice(4), hasNextPage: false },
    ]);
  });

  it('pages through a case timeline, newest first', async () => {
    const all = await gql<{ case: { timeline: Page<{ id: string }> } }>(
      platform.gatewayUrl,
      `query($c: ID!) { case(id: $c) { timeline { nodes { id } pageInfo { hasNextPage } } } }`,
      { c: Demo.subject.caseId },
      mashOfficer,
    );
    const ids = all.data!.case.timeline.nodes.map((n) => n.id);
    expect(ids).toHaveLength(2);
    const paged = await pages(
      `query($c: ID!, $first: Int, $after: String) { case(id: $c) { timeline(first: $first, after: $after) {
         nodes { id } pageInfo { endCursor hasNextPage } } } }`,
      (d) => (d['case'] as { timeline: Page<{ id: string }> }).timeline,
      1,
    );
    expect(paged).toEqual([
      { ids: [ids[0]], hasNextPage: true },
      { ids: [ids[1]], hasNextPage: false },
    ]);
  });

  it('pages through unmatched status changes in the order they were received', async () => {
    const all = await gql<{ unmatchedStatusChanges: Page<{ id: string; identifierValue: string }> }>(
      platform.gatewayUrl,
      `query($p: ID!) { unmatchedStatusChanges(partnershipId: $p) { nodes { id identifierValue } } }`,
      { p: Demo.partnershipId },
      mashOfficer,
    );
    const nodes = all.data!.unmatchedStatusChanges.nodes;
    // Received in the order the connector's partitions delivered them; the list keeps that order.
    expect(nodes.map((n) => n.identifierValue).sort()).toEqual(strangers);
    const paged = await pages(
      `query($p: ID!, $first: Int, $after: String) {
         unmatchedStatusChanges(partnershipId: $p, first: $first, after: $after) {
           nodes { id } pageInfo { endCursor hasNextPage } } }`,
      (d) => d['unmatchedStatusChanges'] as Page<{ id: string }>,
      2,
    );
    expect(paged).toEqual([
      { ids: [nodes[0]!.id, nodes[1]!.id], hasNextPage: true },
      { ids: [nodes[2]!.id], hasNextPage: false },
    ]);
  });

  it('pages through escalations, and a page after the last is empty', async () => {
    const first = await gql<{ escalations: Page<{ id: string }> }>(
      platform.gatewayUrl,
      `query($p: ID!) { escalations(partnershipId: $p, first: 1) { nodes { id } pageInfo { endCursor hasNextPage } } }`,
      { p: Demo.partnershipId },
      mashOfficer,
    );
    expect(first.data!.escalations.nodes).toHaveLength(1);
    expect(first.data!.escalations.pageInfo.hasNextPage).toBe(false);
    const next = await gql<{ escalations: Page<{ id: string }> }>(
      platform.gatewayUrl,
      `query($p: ID!, $after: String) { escalations(partnershipId: $p, first: 1, after: $after) {
         nodes { id } pageInfo { endCursor hasNextPage } } }`,
      { p: Demo.partnershipId, after: first.data!.escalations.pageInfo.endCursor },
      mashOfficer,
    );
    expect(next.errors).toBeUndefined();
    expect(next.data).toEqual({
      escalations: { nodes: [], pageInfo: { endCursor: null, hasNextPage: false } },
    });
  });

  it.each([
    [
      'cases',
      `query($p: ID!, $first: Int, $after: String) { cases(partnershipId: $p, first: $first, after: $after) { nodes { id } } }`,
      ['cases'],
    ],
    [
      'escalations',
      `query($p: ID!, $first: Int, $after: String) { escalations(partnershipId: $p, first: $first, after: $after) { nodes { id } } }`,
      ['escalations'],
    ],
    [
      'unmatched status changes',
      `query($p: ID!, $first: Int, $after: String) { unmatchedStatusChanges(partnershipId: $p, first: $first, after: $after) { nodes { id } } }`,
      ['unmatchedStatusChanges'],
    ],
    [
      'a timeline',
      `query($c: ID!, $first: Int, $after: String) { case(id: $c) { timeline(first: $first, after: $after) { nodes { id } } } }`,
      ['case', 'timeline'],
    ],
  ])('answers BAD_USER_INPUT for a bad page size or cursor on %s', async (_what, query, path) => {
    const ask = (variables: Record<string, unknown>) =>
      gql(
        platform.gatewayUrl,
        query,
        { p: Demo.partnershipId, c: Demo.subject.caseId, ...variables },
        mashOfficer,
      );
    for (const first of [0, -1, 501]) {
      const res = await ask({ first });
      expect(res.errors).toEqual([
        expect.objectContaining({
          message: 'first must be between 1 and 500.',
          path,
          extensions: expect.objectContaining({ code: 'BAD_USER_INPUT', retriable: false, field: 'first' }),
        }),
      ]);
    }
    const res = await ask({ after: 'not-a-cursor' });
    expect(res.errors).toEqual([
      expect.objectContaining({
        message: 'after is not a cursor this list gave out.',
        path,
        extensions: expect.objectContaining({ code: 'BAD_USER_INPUT', field: 'after' }),
      }),
    ]);
  });
});
