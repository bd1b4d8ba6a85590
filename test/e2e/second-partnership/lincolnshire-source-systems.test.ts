import { Kafka } from 'kafkajs';
import { Demo, DemoLincolnshire, topics } from '@mash/schema';
import { DEMO_SOURCE_SYSTEMS } from '../../../scripts/lib/demo-source-systems';
import { testToken } from '@test/support/auth';
import { startDemoPlatform, type DemoPlatform } from '@test/support/demo-platform';
import { mashOfficer } from '@test/support/demo-callers';
import { eventually, gql } from '@test/support/gateway-client';
import { testKafkaConfig } from '@test/support/kafka';

// The second demo partnership on the real platform: its source systems get their own topics when the demo starts,
// and the connector takes their events into Lincolnshire's partnership, not MK Together's.

const L = DemoLincolnshire;
const lincolnshireMashOfficer = testToken({
  sub: L.contacts.mashOfficer,
  roles: ['mash-officer'],
  partnership: L.partnershipId,
  agency: L.agencies.laChildren,
});

const UNMATCHED = `query ($p: ID!) {
  unmatchedStatusChanges(partnershipId: $p) { nodes { agency { id name } identifierValue eventType } }
}`;
type Unmatched = {
  unmatchedStatusChanges: {
    nodes: { agency: { id: string; name: string }; identifierValue: string; eventType: string }[];
  };
};

describe('Lincolnshire, the second demo partnership, on the platform', () => {
  let demo: DemoPlatform;

  beforeAll(async () => {
    demo = await startDemoPlatform();
  });

  afterAll(async () => {
    await demo?.stop();
  });

  it("creates every demo source system's own topic, Lincolnshire's among them", async () => {
    const admin = new Kafka(testKafkaConfig(`${demo.prefix}topic-check`)).admin();
    await admin.connect();
    try {
      const existing = new Set(await admin.listTopics());
      const names = topics(demo.prefix);
      const wanted = DEMO_SOURCE_SYSTEMS.map((s) => names.agency(s.family, s.principal));
      expect(wanted).toHaveLength(9); // both partnerships' four, and MK's adults' services
      expect(wanted.filter((t) => !existing.has(t))).toEqual([]);
      expect(wanted).toEqual(
        expect.arrayContaining([
          names.agency('police', 'lincs-niche'),
          names.agency('la-children', 'lincs-mosaic'),
          names.agency('health', 'lchs-systmone'),
          names.agency('education', 'lincs-myconcern'),
        ]),
      );
    } finally {
      await admin.disconnect();
    }
  });

  it("takes an event from Lincolnshire Police's own system into Lincolnshire's partnership", async () => {
    const at = new Date().toISOString();
    await demo.publish([
      {
        family: 'police',
        key: 'LINCS-NICHE-5520917',
        event: {
          specversion: '1.0',
          id: 'lincs-niche-strategy-view-e2e-1',
          source: `urn:mash:source:${L.sourceSystems.police.code}`,
          type: 'uk.mash.police.strategy-discussion-view.v1',
          time: at,
          datacontenttype: 'application/json',
          data: {
            subject: { system: 'police-person-id', value: 'LINCS-NICHE-5520917' },
            threshold: 'child-in-need',
            discussionAt: at,
            incidentRef: 'LP-INC-26-40117',
          },
        },
      },
    ]);
    const nodes = await eventually(
      async () => {
        const res = await gql<Unmatched>(
          demo.platform.gatewayUrl,
          UNMATCHED,
          { p: L.partnershipId },
          lincolnshireMashOfficer,
        );
        if (res.errors) throw new Error(JSON.stringify(res.errors));
        const found = res.data!.unmatchedStatusChanges.nodes;
        return found.length > 0 ? found : undefined;
      },
      { what: "the Lincolnshire event to wait for a MASH officer's link", timeoutMs: 60_000 },
    );
    expect(nodes).toEqual([
      {
        agency: { id: L.agencies.police, name: 'Lincolnshire Police' },
        identifierValue: 'LINCS-NICHE-5520917',
        eventType: 'uk.mash.police.strategy-discussion-view.v1',
      },
    ]);
    const mk = await gql<Unmatched>(
      demo.platform.gatewayUrl,
      UNMATCHED,
      { p: Demo.partnershipId },
      mashOfficer,
    );
    expect(mk.errors).toBeUndefined();
    expect(mk.data?.unmatchedStatusChanges.nodes.map((n) => n.identifierValue)).not.toContain(
      'LINCS-NICHE-5520917',
    );
  });
});
