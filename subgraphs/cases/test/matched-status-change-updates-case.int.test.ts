import {
  healthDsl,
  policePractitioner,
  mashOfficer,
  service,
  POLICE_ID,
  statusChange,
} from '@test/support/fixtures/cases';
import { casesOnBroker } from '@test/support/fixtures/cases-harness';
import { gql } from '@test/support/gateway-client';
import { Demo, type StatusChangeMessage } from '@mash/schema';

// Integration: the real cases service on a real Kafka broker and a throwaway Postgres database with the real
// migrations and the demo data.

describe('a status change that matches a subject updates its case and publishes one case event', () => {
  const h = casesOnBroker();

  it('applies a matched status change and publishes one case event whose snapshot carries the position and when each part was set', async () => {
    const change = statusChange(POLICE_ID, {
      threshold: 'child-protection',
      riskLevel: 'high',
      reference: 'INC-0042',
    });
    await h.publish(change);

    const event = await h.caseEventFor(change.id);
    expect(event.statusChange).toEqual(change);
    expect(event.case).toMatchObject({
      id: Demo.subject.caseId,
      subjectId: Demo.subject.id,
      partnershipId: Demo.partnershipId,
      status: 'open',
    });
    expect(event.case.involvements).toEqual(
      expect.arrayContaining([
        { agencyId: Demo.agencies.police, open: true },
        { agencyId: Demo.agencies.laChildren, open: true },
      ]),
    );
    expect(event.case.positions).toContainEqual(
      expect.objectContaining({
        agencyId: Demo.agencies.police,
        threshold: 'child-protection',
        thresholdStatusChangeId: change.id,
        riskLevel: 'high',
        riskStatusChangeId: change.id,
        thresholdAsOf: new Date(change.occurredAt).toISOString(),
        riskAsOf: new Date(change.occurredAt).toISOString(),
        riskSince: new Date(change.occurredAt).toISOString(),
      }),
    );

    const res = await gql<{ case: Record<string, unknown> }>(
      h.cases.url,
      `query ($id: ID!) { case(id: $id) {
         id status subject { id displayName identifiers { system value } }
         involvements { agency { id } localReference open }
         positions { agency { id } threshold riskLevel referralOutcome }
         timeline { nodes { id kind eventType summary facts agency { id } case { id } } }
       } }`,
      { id: Demo.subject.caseId },
      policePractitioner,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data?.case).toMatchObject({
      id: Demo.subject.caseId,
      status: 'OPEN',
      subject: { id: Demo.subject.id, displayName: 'Child A' },
      positions: expect.arrayContaining([
        {
          agency: { id: Demo.agencies.police },
          threshold: 'CHILD_PROTECTION',
          riskLevel: 'HIGH',
          referralOutcome: null,
        },
      ]),
      involvements: expect.arrayContaining([
        { agency: { id: Demo.agencies.police }, localReference: 'INC-0042', open: true },
      ]),
      timeline: {
        nodes: [
          {
            id: change.id,
            kind: 'protection-notice',
            eventType: change.type,
            summary: change.summary,
            facts: change.facts,
            agency: { id: Demo.agencies.police },
            case: { id: Demo.subject.caseId },
          },
        ],
      },
    });
  });

  it('keeps the time a threshold has held in the case event when the agency repeats it, and moves it on a change', async () => {
    const at = (offsetMs: number) => new Date(Date.now() + offsetMs).toISOString();
    const first = statusChange(POLICE_ID, { threshold: 'child-in-need' }, { occurredAt: at(0) });
    const repeat = statusChange(POLICE_ID, { threshold: 'child-in-need' }, { occurredAt: at(1_000) });
    const back = statusChange(POLICE_ID, { threshold: 'child-protection' }, { occurredAt: at(2_000) });
    await h.publish(first, repeat, back);
    const policeIn = async (change: StatusChangeMessage) =>
      (await h.caseEventFor(change.id)).case.positions.find((p) => p.agencyId === Demo.agencies.police);

    expect(await policeIn(repeat)).toMatchObject({
      threshold: 'child-in-need',
      thresholdStatusChangeId: repeat.id,
      thresholdAsOf: repeat.occurredAt,
      thresholdSince: first.occurredAt,
    });
    expect(await policeIn(back)).toMatchObject({
      threshold: 'child-protection',
      thresholdAsOf: back.occurredAt,
      thresholdSince: back.occurredAt,
    });
  });

  it('resolves StatusChange and Case references for the escalations subgraph, with the same need-to-know', async () => {
    const [first] = await h.timelineIds(Demo.subject.caseId);
    const query = `query ($reps: [_Any!]!) { _entities(representations: $reps) {
      ... on StatusChange { id summary case { id } }
      ... on Case { id status }
    } }`;
    const reps = [
      { __typename: 'StatusChange', id: first },
      { __typename: 'Case', id: Demo.subject.caseId },
    ];
    const res = await gql<{ _entities: unknown[] }>(h.cases.url, query, { reps }, mashOfficer);
    expect(res.errors).toBeUndefined();
    expect(res.data?._entities).toEqual([
      expect.objectContaining({ id: first, case: { id: Demo.subject.caseId } }),
      { id: Demo.subject.caseId, status: 'OPEN' },
    ]);
    for (const caller of [healthDsl, service]) {
      const refused = await gql(h.cases.url, query, { reps }, caller);
      expect(refused.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
    }
  });

  it('does nothing more for a replayed status change: no second case event, no second timeline row', async () => {
    const change = statusChange(POLICE_ID, { riskLevel: 'medium' });
    await h.publish(change);
    await h.caseEventFor(change.id);

    const marker = statusChange(POLICE_ID, { riskLevel: 'high' });
    await h.publish(change, marker); // same key, same partition: the replay is handled before the marker
    await h.caseEventFor(marker.id);

    expect(h.eventsFor(change.id)).toHaveLength(1);
    const ids = await h.timelineIds(Demo.subject.caseId);
    expect(ids.filter((id) => id === change.id)).toHaveLength(1);
    expect(ids).toContain(marker.id);
  });
});
