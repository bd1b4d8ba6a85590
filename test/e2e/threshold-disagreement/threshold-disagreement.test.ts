import { Kafka, Partitioners, type Admin, type Consumer, type Producer } from 'kafkajs';
import { connectorGroupId } from '@mash/connectors';
import { signDevToken, silentLogger } from '@mash/service-kit';
import { DeadLetterHeaders, Demo, topics, type AgencyFamily } from '@mash/schema';
import { thresholdDisagreementEvents, type AgencyEvent } from '../../../scripts/lib/demo-events';
import { DEMO_SOURCE_SYSTEMS, sourceCodeOf } from '../../../scripts/lib/demo-source-systems';
import { startPlatform, type RunningPlatform } from '../../../scripts/lib/platform';
import { testJwt, testToken } from '@test/support/auth';
import { groupCaughtUp } from '@test/support/consumer-lag';
import { createTestDatabase } from '@test/support/database';
import { eventually, gql } from '@test/support/gateway-client';
import { testBrokers, testKafkaAuth, testKafkaConfig, uniquePrefix } from '@test/support/kafka';
import { auditor, mashOfficer } from '@test/support/demo-callers';

const FAMILIES: AgencyFamily[] = ['police', 'la-children', 'health'];
// A designated safeguarding lead in health: same partnership, but health is not involved in Child A's case.
const uninvolvedDsl = testToken({
  sub: Demo.contacts.healthDsl,
  roles: ['designated-safeguarding-lead'],
  partnership: Demo.partnershipId,
  agency: Demo.agencies.health,
});
const integrator = testToken({
  sub: 'integrator-1',
  roles: ['agency-integrator'],
  partnership: Demo.partnershipId,
  agency: Demo.agencies.police,
});

const ESCALATION_QUERY = /* GraphQL */ `
  query Slice($partnershipId: ID!) {
    escalations(partnershipId: $partnershipId) {
      nodes {
        id
        ground
        stage
        status
        autoRaised
        stageDeadline
        raisedAt
        raisingAgency {
          id
          name
          type
        }
        receivingAgency {
          id
          name
          type
        }
        partnership {
          name
        }
        stageOwners {
          id
          name
          role
          agency {
            name
          }
        }
        evidence {
          id
          kind
          summary
          agency {
            name
          }
        }
        case {
          id
          subject {
            displayName
            identifiers {
              system
              value
            }
          }
          positions {
            agency {
              name
            }
            threshold
            referralOutcome
          }
        }
        history {
          toStage
          toStatus
          actor
          rationale
        }
      }
    }
  }
`;

interface SliceEscalation {
  id: string;
  ground: string;
  stage: number;
  status: string;
  autoRaised: boolean;
  stageDeadline: string;
  raisedAt: string;
  raisingAgency: { id: string; name: string; type: string };
  receivingAgency: { id: string; name: string; type: string };
  partnership: { name: string };
  stageOwners: { id: string; name: string; role: string; agency: { name: string } }[];
  evidence: { id: string; kind: string; summary: string; agency: { name: string } }[];
  case: {
    id: string;
    subject: { displayName: string; identifiers: { system: string; value: string }[] };
    positions: { agency: { name: string }; threshold: string | null; referralOutcome: string | null }[];
  };
  history: { toStage: number; toStatus: string; actor: string; rationale: string }[];
}

describe('a threshold disagreement between police and children’s services, end to end', () => {
  const prefix = uniquePrefix();
  const t = topics(prefix);
  let db: { url: string; drop(): Promise<void> };
  let platform: RunningPlatform;
  let kafka: Kafka;
  let producer: Producer;
  let admin: Admin;
  let watcher: Consumer;

  const publish = async (events: readonly AgencyEvent[]) => {
    for (const e of events) {
      await producer.send({
        topic: t.agency(e.family, sourceCodeOf(e.event.source)),
        messages: [{ key: e.key, value: JSON.stringify(e.event) }],
      });
    }
  };
  const escalations = async () => {
    const res = await gql<{ escalations: { nodes: SliceEscalation[] } }>(
      platform.gatewayUrl,
      ESCALATION_QUERY,
      { partnershipId: Demo.partnershipId },
      mashOfficer,
    );
    if (res.errors) throw new Error(JSON.stringify(res.errors));
    return res.data!.escalations.nodes;
  };
  /** Waits until every stage of the pipeline has handled everything published so far. */
  const pipelineSettled = () =>
    eventually(
      async () => {
        const steps: [string, string][] = [
          ...DEMO_SOURCE_SYSTEMS.filter((s) => FAMILIES.includes(s.family)).map((s): [string, string] => [
            connectorGroupId(prefix, FAMILIES),
            t.agency(s.family, s.principal),
          ]),
          [`${prefix}mash-cases`, t.statusChanges],
          [`${prefix}mash-escalations`, t.caseEvents],
        ];
        for (const [group, topic] of steps) if (!(await groupCaughtUp(admin, group, topic))) return undefined;
        return true;
      },
      { what: 'the pipeline to settle', timeoutMs: 60_000 },
    );

  const story = thresholdDisagreementEvents(new Date(), 'e2e');
  const escalationEvents: { type: string; id: string }[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    platform = await startPlatform({
      databaseUrl: db.url,
      kafkaBrokers: testBrokers(),
      kafkaAuth: testKafkaAuth(),
      topicPrefix: prefix,
      jwt: testJwt,
      logger: silentLogger(),
      seedDemo: true,
      families: FAMILIES,
      schedulerIntervalMs: 200,
    });
    kafka = new Kafka(testKafkaConfig('e2e-agency-systems'));
    producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, idempotent: true });
    admin = kafka.admin();
    await Promise.all([producer.connect(), admin.connect()]);
    // Watch the escalation lifecycle as a notifier or live board would.
    watcher = kafka.consumer({ groupId: `${prefix}e2e-escalation-watcher` });
    await watcher.connect();
    await watcher.subscribe({ topic: t.escalationEvents, fromBeginning: true });
    await watcher.run({
      eachMessage: async ({ message }) => {
        escalationEvents.push(JSON.parse(message.value!.toString()) as { type: string; id: string });
      },
    });
  });

  afterAll(async () => {
    await watcher?.disconnect();
    await producer?.disconnect();
    await admin?.disconnect();
    await platform?.stop();
    await db?.drop();
  });

  it('raises a stage-1 escalation with both events as evidence, visible in one query across all four subgraphs', async () => {
    await publish(story);

    const [escalation] = await eventually(
      async () => {
        const list = await escalations();
        return list.length > 0 ? list : undefined;
      },
      { what: 'the escalation to be raised', timeoutMs: 60_000 },
    );
    const e = escalation!;

    // escalations subgraph
    expect(e.ground).toBe('THRESHOLD_DISAGREEMENT');
    expect(e.stage).toBe(1);
    expect(e.status).toBe('AWAITING_ACKNOWLEDGEMENT');
    expect(e.autoRaised).toBe(true);
    expect(e.history[0]).toMatchObject({ toStage: 1, actor: 'system' });
    // The record names the agencies as people read them, not by id.
    expect(e.history[0]!.rationale).toBe(
      "Raised automatically: Thames Valley Police judges child protection; Milton Keynes Council Children's " +
        'Services judges universal (3 steps apart).',
    );
    // The demo policy gives stage 1 seven calendar days from when it was raised.
    const allowed = new Date(e.stageDeadline).getTime() - new Date(e.raisedAt).getTime();
    expect(allowed).toBe(7 * 24 * 3600 * 1000);

    // agencies subgraph: police (child protection) raise it with children's services (no further action)
    expect(e.raisingAgency).toMatchObject({ id: Demo.agencies.police, type: 'POLICE' });
    expect(e.receivingAgency).toMatchObject({ id: Demo.agencies.laChildren });
    expect(e.partnership.name).toMatch(/MK Together/);

    // cases subgraph: the case, the subject's identifiers from both agencies, and both events as evidence
    expect(e.case.id).toBe(Demo.subject.caseId);
    expect(e.case.subject.identifiers).toEqual(
      expect.arrayContaining([
        { system: 'la-person-id', value: Demo.subject.laPersonId },
        { system: 'police-person-id', value: Demo.subject.policePersonId },
      ]),
    );
    expect(e.evidence.map((x) => x.kind).sort()).toEqual(['referral-outcome', 'threshold-judgement']);
    expect(e.evidence.map((x) => x.agency.name).sort()).toEqual(
      [e.raisingAgency.name, e.receivingAgency.name].sort(),
    );

    // contacts subgraph: stage 1 belongs to the practitioners of the two agencies
    expect(e.stageOwners.length).toBeGreaterThanOrEqual(2);
    expect(new Set(e.stageOwners.map((o) => o.role))).toEqual(new Set(['practitioner']));
    expect(new Set(e.stageOwners.map((o) => o.agency.name))).toEqual(
      new Set([e.raisingAgency.name, e.receivingAgency.name]),
    );
  });

  it('duplicates nothing when the same agency events are replayed', async () => {
    const before = await escalations();
    await eventually(async () => (escalationEvents.some((e) => e.type === 'raised') ? true : undefined), {
      what: 'the raised event',
    });
    await publish(story);
    await pipelineSettled();

    const after = await escalations();
    expect(after).toHaveLength(before.length);
    expect(after[0]!.evidence).toHaveLength(2);
    const timeline = await gql<{ case: { timeline: { nodes: { id: string }[] } } }>(
      platform.gatewayUrl,
      `query { case(id: "${Demo.subject.caseId}") { timeline { nodes { id } } } }`,
      {},
      mashOfficer,
    );
    expect(timeline.data?.case.timeline.nodes).toHaveLength(2);
    // Nothing new happened: exactly one 'raised' event, each event id once.
    expect(escalationEvents.filter((e) => e.type === 'raised')).toHaveLength(1);
    expect(new Set(escalationEvents.map((e) => e.id)).size).toBe(escalationEvents.length);
  });

  it('dead-letters a malformed event with its reason and still ingests the event behind it', async () => {
    const dlq = kafka.consumer({ groupId: `${prefix}e2e-dlq-reader` });
    const dead: { value: string; code?: string; reason?: string }[] = [];
    await dlq.connect();
    await dlq.subscribe({ topic: t.deadLetter('police'), fromBeginning: true });
    await dlq.run({
      eachMessage: async ({ message }) => {
        dead.push({
          value: message.value?.toString() ?? '',
          code: message.headers?.[DeadLetterHeaders.code]?.toString(),
          reason: message.headers?.[DeadLetterHeaders.reason]?.toString(),
        });
      },
    });
    try {
      await producer.send({
        topic: t.agency('police', Demo.sourceSystems.police.code),
        messages: [{ key: Demo.subject.policePersonId, value: '{"specversion": "1.0", "id": broken' }],
      });
      const dashAt = new Date().toISOString();
      await publish([
        {
          family: 'police',
          key: Demo.subject.policePersonId,
          event: {
            specversion: '1.0',
            id: 'niche-dash-e2e-after-malformed',
            source: `urn:mash:source:${Demo.sourceSystems.police.code}`,
            type: 'uk.mash.police.dash-assessment.v1',
            time: dashAt,
            datacontenttype: 'application/json',
            data: {
              subject: { system: 'police-person-id', value: Demo.subject.policePersonId },
              score: 16,
              level: 'high',
              incidentRef: 'TVP-INC-26-90112',
            },
          },
        },
      ]);

      const rejected = await eventually(async () => dead[0], { what: 'the dead-letter record' });
      expect(rejected.value).toBe('{"specversion": "1.0", "id": broken');
      expect(rejected.code).toBe('EVENT_NOT_JSON');
      expect(rejected.reason).toBeTruthy();

      const kinds = await eventually(
        async () => {
          const res = await gql<{ case: { timeline: { nodes: { kind: string }[] } } }>(
            platform.gatewayUrl,
            `query { case(id: "${Demo.subject.caseId}") { timeline { nodes { kind } } } }`,
            {},
            mashOfficer,
          );
          const k = res.data?.case.timeline.nodes.map((x) => x.kind) ?? [];
          return k.includes('risk-assessment') ? k : undefined;
        },
        { what: 'the event behind the malformed one to reach the timeline' },
      );
      expect(kinds).toHaveLength(3);
    } finally {
      await dlq.disconnect();
    }
  });

  it('answers a missing or bad token with a coded error and no data', async () => {
    const none = await gql(platform.gatewayUrl, '{ partnerships { id } }');
    expect(none.status).toBe(401);
    expect(none.data).toBeUndefined();
    expect(none.errors?.[0]?.extensions?.['code']).toBe('UNAUTHENTICATED');

    const forged = signDevToken(
      { ...testJwt, JWT_SECRET: 'another-secret-entirely-0123456789abcdef' },
      {
        sub: 'x',
        roles: ['mash-officer'],
      },
    );
    const bad = await gql(platform.gatewayUrl, '{ partnerships { id } }', {}, forged);
    expect(bad.status).toBe(401);
    expect(bad.errors?.[0]?.extensions?.['code']).toBe('UNAUTHENTICATED');

    const expired = testToken({ sub: 'x', roles: ['mash-officer'] }, -10);
    const old = await gql(platform.gatewayUrl, '{ partnerships { id } }', {}, expired);
    expect(old.errors?.[0]?.extensions?.['code']).toBe('TOKEN_EXPIRED');
  });

  it('shows an agency integrator reference data but no personal data', async () => {
    const reference = await gql<{ partnerships: { id: string }[] }>(
      platform.gatewayUrl,
      '{ partnerships { id } }',
      {},
      integrator,
    );
    expect(reference.data?.partnerships.map((p) => p.id)).toContain(Demo.partnershipId);

    const personal = await gql(
      platform.gatewayUrl,
      `query { case(id: "${Demo.subject.caseId}") { subject { identifiers { value } } } }`,
      {},
      integrator,
    );
    expect(personal.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
    expect(JSON.stringify(personal.data ?? {})).not.toContain(Demo.subject.laPersonId);
  });

  it('lets a platform service read reference data and no case, escalation or subject', async () => {
    const service = testToken({ sub: 'service:escalations', roles: ['service'] });
    const reference = await gql<{ sourceSystem: { code: string; agency: { id: string } } }>(
      platform.gatewayUrl,
      '{ sourceSystem(code: "tvp-niche") { code agency { id } } }',
      {},
      service,
    );
    expect(reference.errors).toBeUndefined();
    expect(reference.data?.sourceSystem).toEqual({ code: 'tvp-niche', agency: { id: Demo.agencies.police } });

    const kase = await gql(
      platform.gatewayUrl,
      `query { case(id: "${Demo.subject.caseId}") { id subject { identifiers { value } } } }`,
      {},
      service,
    );
    expect(kase.errors?.map((e) => e.extensions?.['code'])).toEqual(['FORBIDDEN']);
    expect(kase.data?.['case'] ?? null).toBeNull();
    expect(JSON.stringify(kase)).not.toContain(Demo.subject.policePersonId);

    const escalations = await gql(
      platform.gatewayUrl,
      'query ($p: ID!) { escalations(partnershipId: $p) { nodes { id } } }',
      { p: Demo.partnershipId },
      service,
    );
    expect(escalations.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
  });

  it('shows nothing of the case to an agency that is not involved, or to an auditor', async () => {
    for (const who of [uninvolvedDsl, auditor]) {
      const list = await gql<{ escalations: { nodes: unknown[] } | null }>(
        platform.gatewayUrl,
        'query ($p: ID!) { escalations(partnershipId: $p) { nodes { id } } }',
        { p: Demo.partnershipId },
        who,
      );
      expect(list.data?.escalations?.nodes ?? []).toEqual([]);

      const one = await gql(
        platform.gatewayUrl,
        `query { case(id: "${Demo.subject.caseId}") { subject { identifiers { value } } } }`,
        {},
        who,
      );
      expect(one.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
      expect(JSON.stringify(one)).not.toContain(Demo.subject.policePersonId);
    }
  });

  it('answers a malformed GraphQL document with a coded error', async () => {
    const res = await gql(platform.gatewayUrl, '{ escalations(partnershipId: ', {}, mashOfficer);
    expect(res.status).toBe(400);
    expect(res.errors?.[0]?.extensions?.['code']).toBe('GRAPHQL_PARSE_FAILED');
  });

  it('reports ready only when every subgraph answers', async () => {
    const ready = await fetch(new URL('/ready', platform.gatewayUrl));
    expect(ready.status).toBe(200);
    const health = await fetch(new URL('/health', platform.gatewayUrl));
    expect(await health.json()).toMatchObject({ status: 'ok' });
  });
});
