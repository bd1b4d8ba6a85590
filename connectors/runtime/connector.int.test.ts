import type { Consumer, IHeaders } from 'kafkajs';
import { DeadLetterHeaders, topics, type StatusChangeMessage } from '@mash/schema';
import { silentLogger, uuidFromName, type AgencyDirectory, type SourceSystemRef } from '@mash/service-kit';
import { createTestDatabase, type TestDatabase } from '@test/support/database';
import { eventually } from '@test/support/gateway-client';
import { testBrokers, testKafkaAuth, uniquePrefix } from '@test/support/kafka';
import { testServiceConfig } from '@test/support/service-config';
import { createKafka, EventProducer, headerString } from '@mash/kafka';
import { createCloudEvent } from './cloudevent';
import { connectorHealth } from './health';
import { startConnector, type RunningConnector } from './start';

const partnershipId = '0b9f8a1e-2c1d-4f7a-9f51-1a2b3c4d5e01';
const registered: Record<string, SourceSystemRef> = {
  'tvp-niche': {
    id: 'ss-tvp-niche',
    code: 'tvp-niche',
    family: 'police',
    agencyId: 'agency-police',
    partnershipId,
  },
  'mk-lcs': { id: 'ss-mk-lcs', code: 'mk-lcs', family: 'la-children', agencyId: 'agency-la', partnershipId },
  'mk-cpoms': {
    id: 'ss-mk-cpoms',
    code: 'mk-cpoms',
    family: 'education',
    agencyId: 'agency-school',
    partnershipId,
  },
  'flaky-niche': {
    id: 'ss-flaky',
    code: 'flaky-niche',
    family: 'police',
    agencyId: 'agency-police',
    partnershipId,
  },
};
let flakyLookups = 0;

/** The agencies subgraph's answers, in-process: the real service is wired in the end-to-end test. */
const directory: AgencyDirectory = {
  async sourceSystem(code) {
    if (code === 'flaky-niche' && ++flakyLookups <= 2) throw new Error('agencies service did not answer');
    return registered[code] ?? null;
  },
  async policy() {
    throw new Error('the connector reads no policies');
  },
};

interface Received {
  readonly topic: string;
  readonly key: string | null;
  readonly value: Buffer | null;
  readonly headers: IHeaders;
}

const policeKey = 'NICHE-7730142';
const policeSubject = { system: 'police-person-id', value: policeKey } as const;
const bytes = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value));

function protectionNotice(id: string, sourceSystem = 'tvp-niche', data: object = {}) {
  return createCloudEvent({
    id,
    sourceSystem,
    type: 'uk.mash.police.protection-notice.v1',
    time: '2025-11-20T14:05:00Z',
    data: {
      subject: policeSubject,
      bragRating: 'red',
      childrenPresent: true,
      incidentRef: 'TVP-2025-114223',
      ...data,
    },
  });
}

function strategyView(id: string) {
  return createCloudEvent({
    id,
    sourceSystem: 'tvp-niche',
    type: 'uk.mash.police.strategy-discussion-view.v1',
    data: { subject: policeSubject, threshold: 'child-protection', discussionAt: '2025-11-20T10:30:00Z' },
  });
}

describe('agency connector on a real broker and database', () => {
  const prefix = uniquePrefix();
  const t = topics(prefix);
  const kafka = createKafka({
    brokers: testBrokers(),
    clientId: `${prefix}test`,
    logger: silentLogger(),
    auth: testKafkaAuth(),
  });
  const producer = new EventProducer(kafka);
  const received: Received[] = [];
  let database: TestDatabase;
  let connector: RunningConnector;
  let reader: Consumer;

  const statusChanges = () =>
    received
      .filter((r) => r.topic === t.statusChanges)
      .map((r) => ({ key: r.key, message: JSON.parse(r.value!.toString()) as StatusChangeMessage }));
  const deadLetters = (family: 'police' | 'la-children' | 'education') =>
    received.filter((r) => r.topic === t.deadLetter(family));
  const header = (r: Received, name: string) => headerString(r.headers, name);
  const rawRows = async (eventId: string) =>
    (await connector.dataSource.query(
      `SELECT "id", "topic", "offset"::text AS "offset" FROM "ingest"."raw_event" WHERE "event_id" = $1`,
      [eventId],
    )) as { id: string; topic: string; offset: string }[];

  beforeAll(async () => {
    database = await createTestDatabase();
    connector = await startConnector(testServiceConfig({ databaseUrl: database.url, topicPrefix: prefix }), {
      families: ['police', 'la-children', 'education'],
      // Their topics are created before the connector subscribes to its families' topics.
      sourceSystems: [
        { family: 'police', code: 'tvp-niche' },
        { family: 'police', code: 'flaky-niche' },
        { family: 'la-children', code: 'mk-lcs' },
        { family: 'education', code: 'mk-cpoms' },
      ],
      logger: silentLogger(),
      directory,
    });
    await producer.connect();
    reader = kafka.consumer({ groupId: `${prefix}test-reader` });
    await reader.connect();
    await reader.subscribe({
      topics: [
        t.statusChanges,
        t.deadLetter('police'),
        t.deadLetter('la-children'),
        t.deadLetter('education'),
      ],
      fromBeginning: true,
    });
    await reader.run({
      eachMessage: async ({ topic, message }) => {
        received.push({
          topic,
          key: message.key?.toString() ?? null,
          value: message.value,
          headers: message.headers ?? {},
        });
      },
    });
  });

  afterAll(async () => {
    await reader?.disconnect();
    await producer.stop();
    await connector?.stop();
    await database?.drop();
  });

  it('publishes valid police events, dead-letters bad ones with their reasons, and carries on after them', async () => {
    const first = protectionNotice('niche-evt-1');
    const notJson = Buffer.from('{"specversion":"1.0","id": not json');
    const invalidData = protectionNotice('niche-evt-2', 'tvp-niche', { bragRating: 'purple' });
    // Another police force's system named as the source, on tvp-niche's topic: publishing in another's name.
    const impersonating = protectionNotice('other-evt-1', 'other-police-force');
    const after = strategyView('niche-evt-3');
    const values = [bytes(first), notJson, bytes(invalidData), bytes(impersonating), bytes(after)];
    await producer.send(
      t.agency('police', 'tvp-niche'),
      values.map((value) => ({ key: policeKey, value })),
    );

    const changes = await eventually(
      async () => (statusChanges().length >= 2 ? statusChanges() : undefined),
      {
        timeoutMs: 60_000,
        what: 'two status changes',
      },
    );
    const dead = await eventually(
      async () => (deadLetters('police').length >= 3 ? deadLetters('police') : undefined),
      {
        timeoutMs: 30_000,
        what: 'three dead letters',
      },
    );

    const key = `${partnershipId}:police-person-id:${policeKey}`;
    expect(changes).toEqual([
      {
        key,
        message: expect.objectContaining({
          id: uuidFromName('urn:mash:source:tvp-niche|niche-evt-1'),
          eventId: 'niche-evt-1',
          family: 'police',
          partnershipId,
          agencyId: 'agency-police',
          sourceSystemId: 'ss-tvp-niche',
          subject: policeSubject,
          kind: 'protection-notice',
          facts: { riskLevel: 'high', bragRating: 'red', reference: 'TVP-2025-114223' },
          occurredAt: '2025-11-20T14:05:00.000Z',
        }),
      },
      {
        key,
        message: expect.objectContaining({
          id: uuidFromName('urn:mash:source:tvp-niche|niche-evt-3'),
          kind: 'threshold-judgement',
          facts: { threshold: 'child-protection' },
          summary: 'Police view at strategy discussion: child protection (s47)',
        }),
      },
    ]);

    expect(dead.map((d) => header(d, DeadLetterHeaders.code))).toEqual([
      'EVENT_NOT_JSON',
      'EVENT_DATA_INVALID',
      'EVENT_SOURCE_MISMATCH',
    ]);
    expect(dead.map((d) => d.value)).toEqual([notJson, bytes(invalidData), bytes(impersonating)]);
    expect(dead.every((d) => d.key === policeKey)).toBe(true);
    expect(dead.map((d) => header(d, DeadLetterHeaders.reason))).toEqual([
      expect.stringMatching(/^the message value is not JSON: /),
      '/data/bragRating: must be one of "red", "amber", "green", "blue"',
      'source "other-police-force" published on source system "tvp-niche"\'s topic: a system publishes in its own name only',
    ]);
    for (const d of dead) {
      expect(header(d, DeadLetterHeaders.sourceTopic)).toBe(t.agency('police', 'tvp-niche'));
      expect(header(d, DeadLetterHeaders.sourcePartition)).toMatch(/^\d+$/);
      expect(Number.isNaN(Date.parse(header(d, DeadLetterHeaders.rejectedAt) ?? ''))).toBe(false);
    }
    const offsets = dead.map((d) => Number(header(d, DeadLetterHeaders.sourceOffset)));
    expect(offsets).toEqual([...offsets].sort((a, b) => a - b));

    // The valid event after the bad ones was stored too.
    expect(await rawRows('niche-evt-3')).toEqual([
      expect.objectContaining({ topic: t.agency('police', 'tvp-niche') }),
    ]);
  });

  it('stores a replayed event once and republishes the same status change', async () => {
    const id = uuidFromName('urn:mash:source:tvp-niche|niche-evt-1');
    await producer.send(t.agency('police', 'tvp-niche'), [
      { key: policeKey, value: bytes(protectionNotice('niche-evt-1')) },
    ]);

    const copies = await eventually(
      async () => {
        const same = statusChanges().filter((c) => c.message.id === id);
        return same.length >= 2 ? same : undefined;
      },
      { timeoutMs: 30_000, what: 'the republished status change' },
    );
    expect(copies[1]).toEqual(copies[0]);
    expect(await rawRows('niche-evt-1')).toEqual([expect.objectContaining({ id })]);
  });

  it('republishes the first stored version when an event id is sent again with another payload', async () => {
    const id = uuidFromName('urn:mash:source:tvp-niche|niche-evt-1');
    const changed = protectionNotice('niche-evt-1', 'tvp-niche', {
      bragRating: 'green',
      incidentRef: 'TVP-2025-999999',
    });
    await producer.send(t.agency('police', 'tvp-niche'), [{ key: policeKey, value: bytes(changed) }]);

    const copies = await eventually(
      async () => {
        const same = statusChanges().filter((c) => c.message.id === id);
        return same.length >= 3 ? same : undefined;
      },
      { timeoutMs: 30_000, what: 'the status change republished for the changed payload' },
    );
    expect(copies[2]).toEqual(copies[0]);
    expect(copies[2]?.message.facts).toEqual({
      riskLevel: 'high',
      bragRating: 'red',
      reference: 'TVP-2025-114223',
    });
    const duplicates = (await connector.dataSource.query(
      `SELECT "payload_differs" AS "payloadDiffers" FROM "ingest"."duplicate_event" WHERE "raw_event_id" = $1
       ORDER BY "offset"`,
      [id],
    )) as { payloadDiffers: boolean }[];
    expect(duplicates).toEqual([{ payloadDiffers: false }, { payloadDiffers: true }]);
    const [stored] = (await connector.dataSource.query(
      `SELECT "payload" FROM "ingest"."raw_event" WHERE "id" = $1`,
      [id],
    )) as { payload: { data: { bragRating: string } } }[];
    expect(stored?.payload.data.bragRating).toBe('red');
  });

  it('retries an event while the agency directory does not answer, then ingests it', async () => {
    await producer.send(t.agency('police', 'flaky-niche'), [
      { key: policeKey, value: bytes(protectionNotice('flaky-evt-1', 'flaky-niche')) },
    ]);
    const change = await eventually(
      async () => statusChanges().find((c) => c.message.eventId === 'flaky-evt-1'),
      { timeoutMs: 60_000, what: 'the status change after directory failures' },
    );
    expect(change.message.sourceSystemId).toBe('ss-flaky');
    expect(flakyLookups).toBeGreaterThanOrEqual(3);
    expect(deadLetters('police')).toHaveLength(3);
  });

  it("ingests children's social care events and rejects a police type from the children's system", async () => {
    const outcome = createCloudEvent({
      id: 'lcs-evt-1',
      sourceSystem: 'mk-lcs',
      type: 'uk.mash.la-children.referral-outcome.v1',
      data: {
        subject: { system: 'la-person-id', value: 'LCS-448812' },
        referralRef: 'REF-2026-00417',
        outcome: 'no-further-action',
        decidedAt: '2025-11-12T09:00:00Z',
      },
    });
    const wrongFamily = protectionNotice('lcs-evt-2', 'mk-lcs');
    await producer.send(t.agency('la-children', 'mk-lcs'), [
      { key: 'LCS-448812', value: bytes(outcome) },
      { key: 'LCS-448812', value: bytes(wrongFamily) },
    ]);

    const change = await eventually(
      async () => statusChanges().find((c) => c.message.eventId === 'lcs-evt-1'),
      {
        timeoutMs: 30_000,
        what: 'the referral outcome status change',
      },
    );
    expect(change).toEqual({
      key: `${partnershipId}:la-person-id:LCS-448812`,
      message: expect.objectContaining({
        family: 'la-children',
        kind: 'referral-outcome',
        facts: { referralOutcome: 'no-further-action', reference: 'REF-2026-00417' },
        summary: 'Referral closed with no further action',
      }),
    });
    const [dead] = await eventually(
      async () => (deadLetters('la-children').length > 0 ? deadLetters('la-children') : undefined),
      {
        timeoutMs: 30_000,
        what: "the children's dead letter",
      },
    );
    expect(header(dead!, DeadLetterHeaders.code)).toBe('EVENT_SOURCE_MISMATCH');
    expect(dead!.value).toEqual(bytes(wrongFamily));
  });

  it("ingests a school's events keyed by the pupil's UPN, with the other identifiers of its record, and dead-letters a bad UPN", async () => {
    const upn = 'B801200005001';
    const others = [
      { system: 'la-person-id', value: 'LCS-448812' },
      { system: 'nhs-number', value: '9434765919' },
    ];
    const attendance = createCloudEvent({
      id: 'cpoms-evt-1',
      sourceSystem: 'mk-cpoms',
      type: 'uk.mash.education.attendance-below-threshold.v1',
      time: '2025-11-20T08:30:00Z',
      data: {
        subject: { system: 'upn', value: upn },
        percentage: 84.5,
        periodStart: '2025-09-03',
        periodEnd: '2025-11-14',
        otherIdentifiers: others,
      },
    });
    const badUpn = createCloudEvent({
      id: 'cpoms-evt-2',
      sourceSystem: 'mk-cpoms',
      type: 'uk.mash.education.unexplained-absence.v1',
      data: { subject: { system: 'upn', value: 'A801200005001' }, absenceDate: '2025-11-19' },
    });
    await producer.send(t.agency('education', 'mk-cpoms'), [
      { key: upn, value: bytes(attendance) },
      { key: 'A801200005001', value: bytes(badUpn) },
    ]);

    const change = await eventually(
      async () => statusChanges().find((c) => c.message.eventId === 'cpoms-evt-1'),
      { timeoutMs: 30_000, what: 'the attendance status change' },
    );
    expect(change).toEqual({
      key: `${partnershipId}:upn:${upn}`,
      message: expect.objectContaining({
        family: 'education',
        agencyId: 'agency-school',
        sourceSystemId: 'ss-mk-cpoms',
        subject: { system: 'upn', value: upn },
        otherIdentifiers: others,
        kind: 'attendance-below-threshold',
        facts: { attendance: { percentage: 84.5, periodStart: '2025-09-03', periodEnd: '2025-11-14' } },
        summary: "School attendance 84.5% from 2025-09-03 to 2025-11-14, below the school's threshold",
        occurredAt: '2025-11-20T08:30:00.000Z',
      }),
    });
    const [dead] = await eventually(
      async () => (deadLetters('education').length > 0 ? deadLetters('education') : undefined),
      { timeoutMs: 30_000, what: "the school's dead letter" },
    );
    expect(header(dead!, DeadLetterHeaders.code)).toBe('EVENT_DATA_INVALID');
    expect(header(dead!, DeadLetterHeaders.reason)).toBe('/data/subject/value: must match format "upn"');
    expect(dead!.value).toEqual(bytes(badUpn));
  });

  it('reports accepted, duplicate (and differing duplicate) and rejected counts by family and code', async () => {
    expect(await connectorHealth(connector.dataSource)).toEqual([
      {
        family: 'education',
        accepted: 1,
        duplicates: 0,
        duplicatesWithOtherPayload: 0,
        rejected: 1,
        rejectedByCode: { EVENT_DATA_INVALID: 1 },
        lastAcceptedAt: expect.any(String),
        lastRejectedAt: expect.any(String),
      },
      {
        family: 'la-children',
        accepted: 1,
        duplicates: 0,
        duplicatesWithOtherPayload: 0,
        rejected: 1,
        rejectedByCode: { EVENT_SOURCE_MISMATCH: 1 },
        lastAcceptedAt: expect.any(String),
        lastRejectedAt: expect.any(String),
      },
      {
        family: 'police',
        accepted: 3,
        duplicates: 2,
        duplicatesWithOtherPayload: 1,
        rejected: 3,
        rejectedByCode: { EVENT_NOT_JSON: 1, EVENT_DATA_INVALID: 1, EVENT_SOURCE_MISMATCH: 1 },
        lastAcceptedAt: expect.any(String),
        lastRejectedAt: expect.any(String),
      },
    ]);
    const [health] = await connectorHealth(connector.dataSource, { families: ['health'] });
    expect(health).toEqual({
      family: 'health',
      accepted: 0,
      duplicates: 0,
      duplicatesWithOtherPayload: 0,
      rejected: 0,
      rejectedByCode: {},
      lastAcceptedAt: null,
      lastRejectedAt: null,
    });
    const future = await connectorHealth(connector.dataSource, { since: new Date(Date.now() + 60_000) });
    expect(future).toEqual([]);
  });

  it('serves its pipeline metrics on /metrics: records handled, dead-letters by code, batch sizes, lag', async () => {
    const res = await fetch(`${connector.metricsUrl}/metrics`);
    expect(res.status).toBe(200);
    const text = await res.text();
    const group = connector.groupId;
    // The counts of the tests above: police and la-children records; a source mismatch in each family.
    expect(text).toContain(
      `mash_consumer_dead_lettered_total{group="${group}",code="EVENT_NOT_JSON",service="connector"} 1`,
    );
    expect(text).toContain(
      `mash_consumer_dead_lettered_total{group="${group}",code="EVENT_SOURCE_MISMATCH",service="connector"} 2`,
    );
    expect(text).toMatch(
      new RegExp(`mash_consumer_records_total\\{group="${group}",service="connector"\\} \\d+`),
    );
    expect(text).toContain('mash_consumer_batch_size_bucket');
    expect(text).toContain('mash_consumer_lag{');
    expect((await fetch(`${connector.metricsUrl}/health`)).status).toBe(200);
  });
});
