import { Kafka, Partitioners } from 'kafkajs';
import { createCloudEvent, HEALTH_EVENT_TYPES, LA_ADULTS_EVENT_TYPES } from '@mash/connectors';
import { Demo, topics, type AgencyFamily, type CloudEvent } from '@mash/schema';
import { testToken } from '@test/support/auth';
import { mashOfficer } from '@test/support/demo-callers';
import { startDemoPlatform, type DemoPlatform } from '@test/support/demo-platform';
import { eventually, gql, type GraphQLResponse } from '@test/support/gateway-client';
import { testKafkaConfig } from '@test/support/kafka';

const HEALTH = Demo.sourceSystems.health.code;
const ADULTS = Demo.sourceSystems.laAdults.code;
/** Not known to the platform: events about this patient and this adult wait unmatched. */
const UNKNOWN_NHS_NUMBER = '4010232137';
const UNKNOWN_ADULT = 'LAS-990001';

const integratorOf = (agency: string, sub: string) =>
  testToken({ sub, roles: ['agency-integrator'], partnership: Demo.partnershipId, agency });
const healthIntegrator = integratorOf(Demo.agencies.health, 'integrator-health');
const adultsIntegrator = integratorOf(Demo.agencies.laAdults, 'integrator-adults');
const policeIntegrator = integratorOf(Demo.agencies.police, 'integrator-police');
const healthDsl = testToken({
  sub: Demo.contacts.healthDsl,
  roles: ['designated-safeguarding-lead'],
  partnership: Demo.partnershipId,
  agency: Demo.agencies.health,
});

const nhsPatient = (value: string) => ({
  type: 'Patient',
  identifier: { system: 'https://fhir.nhs.uk/Id/nhs-number', value },
});
const noShow = (start = '2025-11-19T09:40:00Z') => ({
  resourceType: 'Appointment',
  id: 'apt-20251119-0042',
  status: 'noshow',
  start,
  end: '2025-11-19T10:00:00Z',
  participant: [{ actor: nhsPatient(Demo.subject.nhsNumber), status: 'accepted' }],
  extension: [{ url: 'urn:mash:fhir:StructureDefinition:was-not-brought', valueBoolean: true }],
});

function event(sourceSystem: string, type: string, id: string, data: object): CloudEvent {
  return createCloudEvent({ sourceSystem, type, id, data, time: '2025-11-22T08:00:00Z' });
}

interface SourceRecord {
  readonly family: AgencyFamily;
  readonly sourceSystem: string;
  readonly key: string;
  /** An event, or text that is not one. */
  readonly value: CloudEvent | string;
}

/** A record as a source system sends it, on its own topic. */
const record = (family: AgencyFamily, key: string, value: CloudEvent | string): SourceRecord => ({
  family,
  sourceSystem: family === 'health' ? HEALTH : ADULTS,
  key,
  value,
});

/** Publishes the records in order, each on its source system's topic, as the platform principal. */
async function publish(prefix: string, records: readonly SourceRecord[]): Promise<void> {
  const producer = new Kafka(testKafkaConfig(`${prefix}source-systems`)).producer({
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  await producer.connect();
  try {
    for (const r of records) {
      await producer.send({
        topic: topics(prefix).agency(r.family, r.sourceSystem),
        messages: [{ key: r.key, value: typeof r.value === 'string' ? r.value : JSON.stringify(r.value) }],
      });
    }
  } finally {
    await producer.disconnect();
  }
}

const HEALTH_QUERY = /* GraphQL */ `
  query Health($code: String!) {
    sourceSystem(code: $code) {
      code
      health {
        accepted
        rejected
        duplicates
        lastEventAt
        consumerLag
        deadLetters {
          count
          byCode {
            code
            count
          }
        }
        eventTypes {
          type
          accepted
          rejected
          duplicates
          lastEventAt
          deadLetters {
            count
            recent {
              code
              type
              at
              issues {
                field
                rule
              }
            }
          }
        }
      }
      unmatched {
        waiting
        eventTypes {
          type
          waiting
        }
      }
    }
  }
`;

interface Health {
  readonly accepted: number;
  readonly rejected: number;
  readonly duplicates: number;
  readonly lastEventAt: string | null;
  readonly consumerLag: number | null;
  readonly deadLetters: { count: number; byCode: { code: string; count: number }[] };
  readonly eventTypes: {
    type: string | null;
    accepted: number;
    rejected: number;
    duplicates: number;
    lastEventAt: string | null;
    deadLetters: {
      count: number;
      recent: { code: string; type: string | null; at: string; issues: { field: string; rule: string }[] }[];
    };
  }[];
}
interface HealthAnswer {
  readonly sourceSystem: {
    code: string;
    health: Health | null;
    unmatched: { waiting: number; eventTypes: { type: string; waiting: number }[] } | null;
  } | null;
}

describe('connector health in the graph, for agency integrators', () => {
  let demo: DemoPlatform;
  /** Every answer an integrator got, to check that none holds personal data. */
  const integratorAnswers: unknown[] = [];
  const read = async (code: string, token: string): Promise<GraphQLResponse<HealthAnswer>> => {
    const answer = await gql<HealthAnswer>(demo.platform.gatewayUrl, HEALTH_QUERY, { code }, token);
    if (token !== mashOfficer) integratorAnswers.push(answer);
    return answer;
  };

  beforeAll(async () => {
    demo = await startDemoPlatform({ families: ['health', 'la-adults'] });
    const nhs = Demo.subject.nhsNumber;
    await publish(demo.prefix, [
      // The demo child was not brought: accepted and matched to Child A's case.
      record('health', nhs, event(HEALTH, HEALTH_EVENT_TYPES.appointmentNoShow, 'h-1', noShow())),
      // Unscheduled care of a patient nobody has registered: accepted, then waits unmatched.
      record(
        'health',
        UNKNOWN_NHS_NUMBER,
        event(HEALTH, HEALTH_EVENT_TYPES.emergencyEncounter, 'h-2', {
          resourceType: 'Encounter',
          id: 'emerg-20251121-0311',
          status: 'finished',
          class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'EMER' },
          subject: nhsPatient(UNKNOWN_NHS_NUMBER),
          period: { start: '2025-11-21T22:14:00Z' },
        }),
      ),
      // Not a FHIR instant: dead-lettered at its FHIR path.
      record('health', nhs, event(HEALTH, HEALTH_EVENT_TYPES.appointmentNoShow, 'h-3', noShow('19/11/2025'))),
      // Not JSON at all.
      record('health', nhs, '{"specversion": "1.0", "id": '),
      // The first event again: a duplicate, published once.
      record('health', nhs, event(HEALTH, HEALTH_EVENT_TYPES.appointmentNoShow, 'h-1', noShow())),
      // The deprecated flat type with an NHS number whose check digit is wrong.
      record(
        'health',
        '9434765918',
        event(HEALTH, HEALTH_EVENT_TYPES.appointmentNotAttended, 'h-4', {
          subject: { system: 'nhs-number', value: '9434765918' },
          appointmentRef: 'APT-1',
          appointmentAt: '2025-11-19T09:40:00Z',
          wasNotBrought: false,
          service: 'gp',
        }),
      ),
      // Adult social care: a concern about an adult nobody has registered waits unmatched...
      record(
        'la-adults',
        UNKNOWN_ADULT,
        event(ADULTS, LA_ADULTS_EVENT_TYPES.concernReceived, 'a-1', {
          subject: { system: 'la-person-id', value: UNKNOWN_ADULT },
          concernRef: 'MK-ASC-2025-1187',
          receivedAt: '2025-11-24T10:15:00Z',
          raisedByAgency: 'police',
        }),
      ),
      // ...and an enquiry decision that does not say which enquiry is dead-lettered.
      record(
        'la-adults',
        UNKNOWN_ADULT,
        event(ADULTS, LA_ADULTS_EVENT_TYPES.enquiryDecision, 'a-2', {
          subject: { system: 'la-person-id', value: UNKNOWN_ADULT },
          concernRef: 'MK-ASC-2025-1187',
          decidedAt: '2025-11-26T16:00:00Z',
          decision: 'enquiry',
        }),
      ),
    ]);
  }, 180_000);

  afterAll(async () => {
    await demo?.stop();
  });

  it("gives the health system's integrator exact counts, lag and reasons (codes and field paths), and its unmatched count", async () => {
    const answer = await eventually(
      async () => {
        const a = await read(HEALTH, healthIntegrator);
        const s = a.data?.sourceSystem;
        const done =
          s?.health?.accepted === 2 &&
          s.health.rejected === 3 &&
          s.health.duplicates === 1 &&
          s.health.consumerLag === 0 &&
          s.unmatched?.waiting === 1;
        return done ? a : undefined;
      },
      { timeoutMs: 90_000, what: "the health system's figures" },
    );
    expect(answer.errors).toBeUndefined();
    const { health, unmatched } = answer.data!.sourceSystem!;
    expect(health).toEqual({
      accepted: 2,
      rejected: 3,
      duplicates: 1,
      lastEventAt: expect.any(String),
      consumerLag: 0,
      deadLetters: {
        count: 3,
        byCode: [
          { code: 'EVENT_DATA_INVALID', count: 2 },
          { code: 'EVENT_NOT_JSON', count: 1 },
        ],
      },
      eventTypes: [
        {
          type: HEALTH_EVENT_TYPES.appointmentNoShow,
          accepted: 1,
          rejected: 1,
          duplicates: 1,
          lastEventAt: expect.any(String),
          deadLetters: {
            count: 1,
            recent: [
              {
                code: 'EVENT_DATA_INVALID',
                type: HEALTH_EVENT_TYPES.appointmentNoShow,
                at: expect.any(String),
                issues: [{ field: 'Appointment.start', rule: 'fhir-structure' }],
              },
            ],
          },
        },
        {
          type: HEALTH_EVENT_TYPES.appointmentNotAttended,
          accepted: 0,
          rejected: 1,
          duplicates: 0,
          lastEventAt: expect.any(String),
          deadLetters: {
            count: 1,
            recent: [
              {
                code: 'EVENT_DATA_INVALID',
                type: HEALTH_EVENT_TYPES.appointmentNotAttended,
                at: expect.any(String),
                issues: [{ field: '/data/subject/value', rule: 'format' }],
              },
            ],
          },
        },
        {
          type: HEALTH_EVENT_TYPES.emergencyEncounter,
          accepted: 1,
          rejected: 0,
          duplicates: 0,
          lastEventAt: expect.any(String),
          deadLetters: { count: 0, recent: [] },
        },
        {
          type: null,
          accepted: 0,
          rejected: 1,
          duplicates: 0,
          lastEventAt: expect.any(String),
          deadLetters: {
            count: 1,
            recent: [
              {
                code: 'EVENT_NOT_JSON',
                type: null,
                at: expect.any(String),
                issues: [{ field: '/', rule: 'json' }],
              },
            ],
          },
        },
      ],
    });
    expect(unmatched).toEqual({
      waiting: 1,
      eventTypes: [{ type: HEALTH_EVENT_TYPES.emergencyEncounter, waiting: 1 }],
    });
  });

  it("gives the adults' integrator the adult social care system's figures", async () => {
    const answer = await eventually(
      async () => {
        const a = await read(ADULTS, adultsIntegrator);
        const s = a.data?.sourceSystem;
        return s?.health?.accepted === 1 && s.health.rejected === 1 && s.unmatched?.waiting === 1
          ? a
          : undefined;
      },
      { timeoutMs: 60_000, what: "the adults' system's figures" },
    );
    expect(answer.errors).toBeUndefined();
    const { health, unmatched } = answer.data!.sourceSystem!;
    expect(health?.deadLetters).toEqual({ count: 1, byCode: [{ code: 'EVENT_DATA_INVALID', count: 1 }] });
    expect(health?.eventTypes.map((t) => [t.type, t.accepted, t.rejected])).toEqual([
      [LA_ADULTS_EVENT_TYPES.enquiryDecision, 0, 1],
      [LA_ADULTS_EVENT_TYPES.concernReceived, 1, 0],
    ]);
    expect(health?.eventTypes[0]?.deadLetters.recent[0]?.issues).toEqual([
      { field: '/data/enquiryType', rule: 'required' },
    ]);
    expect(unmatched).toEqual({
      waiting: 1,
      eventTypes: [{ type: LA_ADULTS_EVENT_TYPES.concernReceived, waiting: 1 }],
    });
  });

  it("puts the FHIR no-show on the demo child's case timeline, as a child not brought, once", async () => {
    type Timeline = { nodes: { kind: string; eventType: string; summary: string; facts: object }[] };
    const fromHealth = await eventually(
      async () => {
        const answer = await gql<{ case: { timeline: Timeline } }>(
          demo.platform.gatewayUrl,
          `query($id: ID!) { case(id: $id) { timeline { nodes { kind eventType summary facts } } } }`,
          { id: Demo.subject.caseId },
          mashOfficer,
        );
        const nodes = answer.data?.case.timeline.nodes.filter((n) =>
          n.eventType.startsWith('uk.mash.health.'),
        );
        return nodes?.length ? nodes : undefined;
      },
      { what: "the no-show on Child A's timeline" },
    );
    expect(fromHealth).toEqual([
      {
        kind: 'appointment-not-attended',
        eventType: HEALTH_EVENT_TYPES.appointmentNoShow,
        summary: 'Child was not brought to a health appointment',
        facts: { appointment: { attendance: 'was-not-brought' }, reference: 'apt-20251119-0042' },
      },
    ]);
  });

  it("gives the partnership's MASH officers the same figures", async () => {
    const officer = await read(HEALTH, mashOfficer);
    const integrator = await read(HEALTH, healthIntegrator);
    expect(officer.errors).toBeUndefined();
    expect(officer.data).toEqual(integrator.data);
  });

  it.each([
    ["another agency's integrator", policeIntegrator],
    ["a caseworker of the system's own agency", healthDsl],
  ])('refuses %s with FORBIDDEN on health and unmatched, keeping the reference data', async (_, token) => {
    const answer = await read(HEALTH, token);
    expect(answer.data?.sourceSystem).toEqual({ code: HEALTH, health: null, unmatched: null });
    expect(
      answer.errors
        ?.map((e) => ({ path: e.path, code: e.extensions?.['code'] }))
        .sort((a, b) => String(a.path).localeCompare(String(b.path))),
    ).toEqual([
      { path: ['sourceSystem', 'health'], code: 'FORBIDDEN' },
      { path: ['sourceSystem', 'unmatched'], code: 'FORBIDDEN' },
    ]);
  });

  it.each([
    ['a case', `query { case(id: "${Demo.subject.caseId}") { id subject { displayName } } }`, 'case'],
    ['a subject', `query { subject(id: "${Demo.subject.id}") { id displayName } }`, 'subject'],
    [
      'the unmatched status changes themselves',
      `query { unmatchedStatusChanges(partnershipId: "${Demo.partnershipId}") { nodes { id identifierValue } } }`,
      'unmatchedStatusChanges',
    ],
    [
      'an escalation list',
      `query { escalations(partnershipId: "${Demo.partnershipId}") { nodes { id } } }`,
      'escalations',
    ],
  ])('refuses the integrator %s with FORBIDDEN', async (_, query, field) => {
    const answer = await gql(demo.platform.gatewayUrl, query, {}, healthIntegrator);
    integratorAnswers.push(answer);
    expect(answer.errors?.map((e) => ({ path: e.path, code: e.extensions?.['code'] }))).toEqual([
      { path: [field], code: 'FORBIDDEN' },
    ]);
    expect(answer.data?.[field] ?? null).toBeNull();
  });

  it('serves the same figures as Prometheus metrics: the connector its counts and lag, cases its unmatched', async () => {
    const metrics = async (name: 'connector' | 'cases') =>
      (await fetch(new URL('/metrics', demo.platform.subgraphUrls[name]))).text();
    const connector = await metrics('connector');
    const noShowType = HEALTH_EVENT_TYPES.appointmentNoShow;
    for (const line of [
      `mash_connector_events{source_system="${HEALTH}",type="${noShowType}",outcome="accepted",service="connector"} 1`,
      `mash_connector_events{source_system="${HEALTH}",type="${noShowType}",outcome="duplicate",service="connector"} 1`,
      `mash_connector_events{source_system="${HEALTH}",type="unreadable",outcome="rejected",service="connector"} 1`,
      `mash_connector_dead_letters{source_system="${HEALTH}",type="${noShowType}",code="EVENT_DATA_INVALID",service="connector"} 1`,
      `mash_connector_source_lag{source_system="${HEALTH}",service="connector"} 0`,
      `mash_connector_events{source_system="${ADULTS}",type="${LA_ADULTS_EVENT_TYPES.concernReceived}",outcome="accepted",service="connector"} 1`,
    ]) {
      expect(connector).toContain(line);
    }
    expect(connector).toMatch(
      new RegExp(
        `mash_connector_last_event_timestamp_seconds\\{source_system="${HEALTH}",type="${noShowType}"`,
      ),
    );
    const cases = await metrics('cases');
    expect(cases).toContain(
      `mash_unmatched_waiting{source_system="${HEALTH}",type="${HEALTH_EVENT_TYPES.emergencyEncounter}",service="cases"} 1`,
    );
  });

  it('never showed an integrator personal data', () => {
    expect(integratorAnswers.length).toBeGreaterThan(5);
    const seen = JSON.stringify(integratorAnswers);
    for (const personal of [
      Demo.subject.nhsNumber,
      UNKNOWN_NHS_NUMBER,
      '9434765918',
      UNKNOWN_ADULT,
      Demo.subject.laPersonId,
      '19/11/2025',
      'MK-ASC-2025-1187',
      'emerg-20251121-0311',
    ]) {
      expect({ personal, found: seen.includes(personal) }).toEqual({ personal, found: false });
    }
  });
});
