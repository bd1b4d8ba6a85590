import { randomUUID } from 'node:crypto';
import { silentLogger } from '@mash/service-kit';
import {
  DeadLetterHeaders,
  Demo,
  topics,
  type CaseEventMessage,
  type StatusChangeMessage,
  type StatusFacts,
  type SubjectIdentifier,
} from '@mash/schema';
import { Kafka, logLevel, type Consumer, type IHeaders, type Producer } from 'kafkajs';
import { testToken } from '@test/support/auth';
import { createTestDatabase, type TestDatabase } from '@test/support/database';
import { eventually, gql } from '@test/support/gateway-client';
import { testBrokers, uniquePrefix } from '@test/support/kafka';
import { testServiceConfig } from '@test/support/service-config';
import {
  seedCasesDemo,
  startCasesService,
  statusChangesDeadLetterTopic,
  type RunningCasesService,
} from './index';

// Integration: the real service on a real Kafka broker and a throwaway Postgres database with the real migrations.

const mashOfficer = testToken({
  sub: Demo.contacts.mashOfficer,
  roles: ['mash-officer'],
  partnership: Demo.partnershipId,
});
const integrator = testToken({
  sub: 'integrator:tvp',
  roles: ['agency-integrator'],
  agency: Demo.agencies.police,
  partnership: Demo.partnershipId,
});
const healthDsl = testToken({
  sub: Demo.contacts.healthDsl,
  roles: ['designated-safeguarding-lead'],
  agency: Demo.agencies.health,
  partnership: Demo.partnershipId,
});
const policePractitioner = testToken({
  sub: Demo.contacts.policePractitioner,
  roles: ['practitioner'],
  agency: Demo.agencies.police,
  partnership: Demo.partnershipId,
});
const service = testToken({ sub: 'service:escalations', roles: ['service'] });

const prefix = uniquePrefix();
const names = topics(prefix);
const deadLetterTopic = statusChangesDeadLetterTopic(prefix);

let db: TestDatabase;
let cases: RunningCasesService;
let kafka: Kafka;
let producer: Producer;
let watcher: Consumer;
const caseEvents: CaseEventMessage[] = [];
const deadLetters: { key: string | null; value: string; headers: IHeaders }[] = [];

const POLICE_ID: SubjectIdentifier = { system: 'police-person-id', value: Demo.subject.policePersonId };

function statusChange(
  subject: SubjectIdentifier,
  facts: StatusFacts,
  overrides: Partial<StatusChangeMessage> = {},
): StatusChangeMessage {
  const now = new Date().toISOString();
  return {
    id: randomUUID(),
    eventId: randomUUID(),
    source: `urn:mash:source:${Demo.sourceSystems.police.code}`,
    type: 'uk.mash.police.protection-notice.v1',
    family: 'police',
    partnershipId: Demo.partnershipId,
    agencyId: Demo.agencies.police,
    sourceSystemId: Demo.sourceSystems.police.id,
    subject,
    kind: 'protection-notice',
    facts,
    summary: 'Protection notice submitted (red), children present',
    occurredAt: now,
    receivedAt: now,
    ...overrides,
  };
}

const keyOf = (m: Pick<StatusChangeMessage, 'partnershipId' | 'subject'>) =>
  `${m.partnershipId}:${m.subject.system}:${m.subject.value}`;

async function publish(...messages: StatusChangeMessage[]): Promise<void> {
  await producer.send({
    topic: names.statusChanges,
    messages: messages.map((m) => ({ key: keyOf(m), value: JSON.stringify(m) })),
  });
}

function eventsFor(statusChangeId: string): CaseEventMessage[] {
  return caseEvents.filter((e) => e.statusChange.id === statusChangeId);
}

function caseEventFor(statusChangeId: string): Promise<CaseEventMessage> {
  return eventually(async () => eventsFor(statusChangeId)[0], { what: `case event for ${statusChangeId}` });
}

async function timelineIds(caseId: string): Promise<string[]> {
  const res = await gql<{ case: { timeline: { id: string }[] } }>(
    cases.url,
    `query ($id: ID!) { case(id: $id) { timeline(limit: 500) { id } } }`,
    { id: caseId },
    mashOfficer,
  );
  expect(res.errors).toBeUndefined();
  return res.data?.case.timeline.map((t) => t.id) ?? [];
}

beforeAll(async () => {
  db = await createTestDatabase();
  cases = await startCasesService(testServiceConfig({ databaseUrl: db.url, topicPrefix: prefix }), {
    logger: silentLogger(),
    seedDemo: true,
  });
  kafka = new Kafka({ clientId: 'cases-int-test', brokers: testBrokers(), logLevel: logLevel.NOTHING });
  producer = kafka.producer();
  await producer.connect();
  watcher = kafka.consumer({ groupId: `${prefix}cases-int-test-watcher` });
  await watcher.connect();
  await watcher.subscribe({ topics: [names.caseEvents, deadLetterTopic], fromBeginning: true });
  await watcher.run({
    eachMessage: async ({ topic, message }) => {
      const value = message.value?.toString('utf8') ?? '';
      if (topic === names.caseEvents) caseEvents.push(JSON.parse(value) as CaseEventMessage);
      else
        deadLetters.push({
          key: message.key?.toString('utf8') ?? null,
          value,
          headers: message.headers ?? {},
        });
    },
  });
});

afterAll(async () => {
  await watcher?.disconnect();
  await producer?.disconnect();
  await cases?.stop();
  await db?.drop();
});

describe('cases service', () => {
  it('seeds the demo idempotently and answers /ready', async () => {
    await seedCasesDemo(cases.dataSource);
    const [row] = (await cases.dataSource.query(
      `SELECT count(*)::int AS "count" FROM "cases"."subject"`,
    )) as {
      count: number;
    }[];
    expect(row?.count).toBe(2);
    const ready = await fetch(cases.url.replace(/\/graphql$/, '/ready'));
    expect(ready.status).toBe(200);

    const res = await gql<{ subject: { displayName: string; cases: { plans: unknown[] }[] } }>(
      cases.url,
      `query ($id: ID!) { subject(id: $id) { displayName cases { plans { kind actions { dueDate doneAt ownerAgency { id } } } } } }`,
      { id: Demo.subjectB.id },
      mashOfficer,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data?.subject).toMatchObject({
      displayName: 'Child B',
      cases: [
        {
          plans: [
            {
              kind: 'CHILD_PROTECTION',
              actions: [{ doneAt: null, ownerAgency: { id: Demo.agencies.laChildren } }],
            },
          ],
        },
      ],
    });
  });

  it('applies a matched status change and publishes one case event whose snapshot carries the position and when each part was set', async () => {
    const change = statusChange(POLICE_ID, {
      threshold: 'child-protection',
      riskLevel: 'high',
      reference: 'INC-0042',
    });
    await publish(change);

    const event = await caseEventFor(change.id);
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
      cases.url,
      `query ($id: ID!) { case(id: $id) {
         id status subject { id displayName identifiers { system value } }
         involvements { agency { id } localReference open }
         positions { agency { id } threshold riskLevel referralOutcome }
         timeline { id kind eventType summary facts agency { id } case { id } }
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
      timeline: [
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
    });
  });

  it('keeps the time a threshold has held in the case event when the agency repeats it, and moves it on a change', async () => {
    const at = (offsetMs: number) => new Date(Date.now() + offsetMs).toISOString();
    const first = statusChange(POLICE_ID, { threshold: 'child-in-need' }, { occurredAt: at(0) });
    const repeat = statusChange(POLICE_ID, { threshold: 'child-in-need' }, { occurredAt: at(1_000) });
    const back = statusChange(POLICE_ID, { threshold: 'child-protection' }, { occurredAt: at(2_000) });
    await publish(first, repeat, back);
    const policeIn = async (change: StatusChangeMessage) =>
      (await caseEventFor(change.id)).case.positions.find((p) => p.agencyId === Demo.agencies.police);

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
    const [first] = await timelineIds(Demo.subject.caseId);
    const query = `query ($reps: [_Any!]!) { _entities(representations: $reps) {
      ... on StatusChange { id summary case { id } }
      ... on Case { id status }
    } }`;
    const reps = [
      { __typename: 'StatusChange', id: first },
      { __typename: 'Case', id: Demo.subject.caseId },
    ];
    const res = await gql<{ _entities: unknown[] }>(cases.url, query, { reps }, service);
    expect(res.errors).toBeUndefined();
    expect(res.data?._entities).toEqual([
      expect.objectContaining({ id: first, case: { id: Demo.subject.caseId } }),
      { id: Demo.subject.caseId, status: 'OPEN' },
    ]);
    const refused = await gql(cases.url, query, { reps }, healthDsl);
    expect(refused.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
  });

  it('does nothing more for a replayed status change: no second case event, no second timeline row', async () => {
    const change = statusChange(POLICE_ID, { riskLevel: 'medium' });
    await publish(change);
    await caseEventFor(change.id);

    const marker = statusChange(POLICE_ID, { riskLevel: 'high' });
    await publish(change, marker); // same key, same partition: the replay is handled before the marker
    await caseEventFor(marker.id);

    expect(eventsFor(change.id)).toHaveLength(1);
    const ids = await timelineIds(Demo.subject.caseId);
    expect(ids.filter((id) => id === change.id)).toHaveLength(1);
    expect(ids).toContain(marker.id);
  });

  it('keeps a change for an unknown identifier until a MASH officer links it, then applies it and its siblings', async () => {
    const upn: SubjectIdentifier = { system: 'upn', value: 'H801200001001' };
    const education = {
      agencyId: Demo.agencies.education,
      family: 'education' as const,
      source: `urn:mash:source:${Demo.sourceSystems.education.code}`,
      sourceSystemId: Demo.sourceSystems.education.id,
      type: 'uk.mash.education.dsl-referral.v1',
      kind: 'threshold-judgement' as const,
      summary: 'DSL referral: concerns about attendance and presentation',
    };
    const first = statusChange(
      upn,
      { reference: 'CPOMS-1' },
      { ...education, occurredAt: '2026-11-01T09:00:00.000Z' },
    );
    const second = statusChange(
      upn,
      { threshold: 'early-help' },
      { ...education, occurredAt: '2026-11-08T09:00:00.000Z' },
    );
    await publish(first, second);

    const pending = await eventually(
      async () => {
        const res = await gql<{ unmatchedStatusChanges: Record<string, unknown>[] }>(
          cases.url,
          `query ($p: ID!) { unmatchedStatusChanges(partnershipId: $p) {
             id agency { id } identifierSystem identifierValue eventType summary receivedAt } }`,
          { p: Demo.partnershipId },
          mashOfficer,
        );
        const rows = res.data?.unmatchedStatusChanges ?? [];
        return rows.length === 2 ? rows : undefined;
      },
      { what: 'two unmatched status changes' },
    );
    expect(pending).toContainEqual({
      id: first.id,
      agency: { id: Demo.agencies.education },
      identifierSystem: 'upn',
      identifierValue: upn.value,
      eventType: education.type,
      summary: education.summary,
      receivedAt: first.receivedAt,
    });
    expect(eventsFor(first.id)).toHaveLength(0);

    const refused = await gql(
      cases.url,
      `mutation ($sc: ID!, $s: ID!) { linkStatusChange(statusChangeId: $sc, subjectId: $s) { id } }`,
      { sc: first.id, s: Demo.subject.id },
      policePractitioner,
    );
    expect(refused.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');

    const linked = await gql<{
      linkStatusChange: { id: string; subject: { identifiers: SubjectIdentifier[] } };
    }>(
      cases.url,
      `mutation ($sc: ID!, $s: ID!) { linkStatusChange(statusChangeId: $sc, subjectId: $s) {
         id subject { identifiers { system value } } } }`,
      { sc: first.id, s: Demo.subject.id },
      mashOfficer,
    );
    expect(linked.errors).toBeUndefined();
    expect(linked.data?.linkStatusChange.id).toBe(Demo.subject.caseId);
    expect(linked.data?.linkStatusChange.subject.identifiers).toContainEqual(upn);

    const [firstEvent, secondEvent] = await Promise.all([caseEventFor(first.id), caseEventFor(second.id)]);
    expect(firstEvent.case.id).toBe(Demo.subject.caseId);
    expect(secondEvent.case.positions).toContainEqual(
      expect.objectContaining({
        agencyId: Demo.agencies.education,
        threshold: 'early-help',
        thresholdStatusChangeId: second.id,
      }),
    );
    expect(await timelineIds(Demo.subject.caseId)).toEqual(expect.arrayContaining([first.id, second.id]));

    const after = await gql<{ unmatchedStatusChanges: unknown[] }>(
      cases.url,
      `query ($p: ID!) { unmatchedStatusChanges(partnershipId: $p) { id } }`,
      { p: Demo.partnershipId },
      mashOfficer,
    );
    expect(after.data?.unmatchedStatusChanges).toEqual([]);

    // The identifier is known now: the next change for it is matched as it arrives.
    const third = statusChange(upn, { reference: 'CPOMS-2' }, education);
    await publish(third);
    expect((await caseEventFor(third.id)).case.id).toBe(Demo.subject.caseId);
  });

  it('links waiting changes to a newly registered subject and opens its case', async () => {
    const nhs: SubjectIdentifier = { system: 'nhs-number', value: '9434765870' };
    const change = statusChange(
      nhs,
      { referralOutcome: 'child-in-need' },
      {
        agencyId: Demo.agencies.health,
        family: 'health',
        type: 'uk.mash.health.safeguarding-referral.v1',
        kind: 'referral-outcome',
        summary: 'Safeguarding referral made',
      },
    );
    await publish(change);
    await eventually(
      async () => {
        const rows = (await cases.dataSource.query(
          `SELECT 1 FROM "cases"."unmatched_status_change" WHERE "id" = $1`,
          [change.id],
        )) as unknown[];
        return rows.length === 1 ? true : undefined;
      },
      { what: 'the unmatched row' },
    );

    const res = await gql<{
      registerSubject: { id: string; displayName: string; cases: { id: string; positions: unknown[] }[] };
    }>(
      cases.url,
      `mutation ($input: RegisterSubjectInput!) { registerSubject(input: $input) {
         id displayName cases { id positions { agency { id } threshold referralOutcome } } } }`,
      {
        input: {
          partnershipId: Demo.partnershipId,
          displayName: 'Child C',
          dateOfBirth: '2020-05-01T00:00:00.000Z',
          identifiers: [nhs],
        },
      },
      mashOfficer,
    );
    expect(res.errors).toBeUndefined();
    const subject = res.data?.registerSubject;
    expect(subject?.displayName).toBe('Child C');
    expect(subject?.cases).toHaveLength(1);
    expect(subject?.cases[0]?.positions).toEqual([
      { agency: { id: Demo.agencies.health }, threshold: 'CHILD_IN_NEED', referralOutcome: 'CHILD_IN_NEED' },
    ]);
    const event = await caseEventFor(change.id);
    expect(event.case.subjectId).toBe(subject?.id);

    const duplicate = await gql(
      cases.url,
      `mutation ($input: RegisterSubjectInput!) { registerSubject(input: $input) { id } }`,
      { input: { partnershipId: Demo.partnershipId, displayName: 'Child D', identifiers: [nhs] } },
      mashOfficer,
    );
    expect(duplicate.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
  });

  it('dead-letters a malformed record with its reason and still processes the next one', async () => {
    const next = statusChange(POLICE_ID, { threshold: 'child-in-need' });
    const key = keyOf(next);
    await producer.send({
      topic: names.statusChanges,
      messages: [
        { key, value: '{"this is": not json' },
        {
          key,
          value: JSON.stringify({ ...next, id: 'not-a-uuid', subject: { system: 'shoe-size', value: '9' } }),
        },
        { key, value: JSON.stringify(next) },
      ],
    });

    await caseEventFor(next.id);
    const letters = await eventually(async () => (deadLetters.length >= 2 ? deadLetters : undefined), {
      what: 'two dead letters',
    });
    const header = (h: IHeaders, name: string) => h[name]?.toString();
    const [notJson, notAChange] = letters;
    expect(notJson?.value).toBe('{"this is": not json');
    expect(notJson?.key).toBe(key);
    expect(header(notJson!.headers, DeadLetterHeaders.code)).toBe('EVENT_NOT_JSON');
    expect(header(notJson!.headers, DeadLetterHeaders.reason)).toMatch(/not JSON/);
    // The reason names the problem, never the value (V8 quotes the input in its own message).
    expect(header(notJson!.headers, DeadLetterHeaders.reason)).not.toContain('this is');
    expect(header(notJson!.headers, DeadLetterHeaders.sourceTopic)).toBe(names.statusChanges);
    expect(header(notJson!.headers, DeadLetterHeaders.sourceOffset)).toMatch(/^\d+$/);
    expect(header(notAChange!.headers, DeadLetterHeaders.code)).toBe('EVENT_DATA_INVALID');
    expect(header(notAChange!.headers, DeadLetterHeaders.reason)).toMatch(/subject\.system/);
  });

  it('refuses personal data to an agency integrator and to agencies not involved', async () => {
    const query = `query ($id: ID!) { case(id: $id) { id } }`;
    const asIntegrator = await gql(cases.url, query, { id: Demo.subject.caseId }, integrator);
    expect(asIntegrator.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
    expect(asIntegrator.data).toEqual({ case: null });

    const list = await gql(
      cases.url,
      `query ($p: ID!) { cases(partnershipId: $p) { id } }`,
      { p: Demo.partnershipId },
      integrator,
    );
    expect(list.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');

    const notInvolved = await gql(cases.url, query, { id: Demo.subjectB.caseId }, policePractitioner);
    expect(notInvolved.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');

    const listed = await gql<{ cases: { id: string }[] }>(
      cases.url,
      `query ($p: ID!) { cases(partnershipId: $p, status: OPEN) { id } }`,
      { p: Demo.partnershipId },
      policePractitioner,
    );
    expect(listed.data?.cases.map((c) => c.id)).toEqual([Demo.subject.caseId]);

    const unauthenticated = await gql(cases.url, query, { id: Demo.subject.caseId });
    expect(unauthenticated.errors?.[0]?.extensions?.['code']).toBe('UNAUTHENTICATED');
  });
});
