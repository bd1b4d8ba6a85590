import { Kafka, logLevel, Partitioners, type Admin } from 'kafkajs';
import { AGENCY_FAMILIES, topics } from '@mash/schema';
import type { KafkaAuth } from '@mash/service-kit';
import { testKafkaConfig, testPrincipal, uniquePrefix } from '@test/support/kafka';
import { provisionSourceSystems } from './acls';
import {
  PLATFORM_PRINCIPALS,
  PLATFORM_SERVICES,
  provisionPlatform,
  type PlatformService,
} from './platform-acls';

// Integration: the real broker (SASL/SCRAM-SHA-512, StandardAuthorizer, `admin` its only super user) started by
// the global setup, with a principal per platform service, granted its ACLs under this file's prefix only.

jest.setTimeout(90_000);

const prefix = uniquePrefix();
const t = topics(prefix);
let admin: Admin;

const as = (service: PlatformService): KafkaAuth => testPrincipal(PLATFORM_PRINCIPALS[service]);

/**
 * The broker's error type behind a kafkajs error: kafkajs wraps the broker's answer in the error that ended the
 * call (`cause`), or gathers several (`errors`, e.g. createTopics).
 */
function errorType(err: unknown): string {
  let e = err as { type?: string; name?: string; cause?: unknown; errors?: unknown[] };
  while (!e.type && (e.cause || e.errors?.[0])) e = (e.cause ?? e.errors?.[0]) as typeof e;
  return e.type ?? e.name ?? String(err);
}

/** What a send as `auth` to `topic` ends in: 'ok' or the broker's error type. */
async function sendAs(auth: KafkaAuth, topic: string): Promise<string> {
  const kafka = new Kafka({
    ...testKafkaConfig(`platform-acl-${auth.username}`, auth),
    retry: { retries: 0 },
  });
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  try {
    await producer.connect();
    await producer.send({ topic, messages: [{ key: 'k', value: '{}' }] });
    return 'ok';
  } catch (err) {
    return errorType(err);
  } finally {
    await producer.disconnect().catch(() => undefined);
  }
}

/**
 * What consuming `topic` in `groupId` as `auth` ends in: 'ok' once the record the admin put there arrives, or the
 * broker's error type when the consumer crashes. kafkajs reports a refused FindCoordinator only as "group
 * coordinator not found", logging the broker's answer at debug level: that answer is taken from the log.
 */
async function consumeAs(auth: KafkaAuth, groupId: string, topic: string): Promise<string> {
  const refusals: string[] = [];
  const kafka = new Kafka({
    ...testKafkaConfig(`platform-acl-${auth.username}`, auth),
    logLevel: logLevel.DEBUG,
    logCreator:
      () =>
      ({ log }) => {
        const type = (log['error'] as { type?: string } | undefined)?.type;
        if (type) refusals.push(type);
      },
  });
  // A new group's coordinator may be loading at first: retried, as the services' consumers do.
  const consumer = kafka.consumer({ groupId });
  const outcome = (err: unknown) => {
    const type = errorType(err);
    return type === 'KafkaJSGroupCoordinatorNotFound' ? (refusals[0] ?? type) : type;
  };
  try {
    return await new Promise<string>((resolve) => {
      consumer.on(consumer.events.CRASH, ({ payload }) => resolve(outcome(payload.error)));
      consumer
        .connect()
        .then(() => consumer.subscribe({ topic, fromBeginning: true }))
        .then(() => consumer.run({ eachMessage: async () => resolve('ok') }))
        .catch((err: unknown) => resolve(outcome(err)));
    });
  } finally {
    await consumer.disconnect().catch(() => undefined);
  }
}

beforeAll(async () => {
  admin = new Kafka(testKafkaConfig('platform-acl-admin', testPrincipal('admin'))).admin();
  await admin.connect();
  await provisionPlatform(admin, prefix);
  await provisionSourceSystems(admin, prefix, [{ principal: 'tvp-niche', family: 'police' }]);
  // A record on every topic a service reads, for the consumers below to receive.
  const producer = new Kafka(testKafkaConfig('platform-acl-seed', testPrincipal('admin'))).producer({
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  await producer.connect();
  for (const topic of [
    t.agency('police', 'tvp-niche'),
    t.statusChanges,
    t.caseEvents,
    t.escalationEvents,
    t.notifications,
  ]) {
    await producer.send({ topic, messages: [{ key: 'k', value: '{}' }] });
  }
  await producer.disconnect();
});

afterAll(async () => {
  await admin?.disconnect();
});

describe('each platform service writes its own internal topics and no other', () => {
  // Every internal topic and the one service that may write it.
  const writers: [string, PlatformService][] = [
    [t.statusChanges, 'connectors'],
    ...AGENCY_FAMILIES.map((f): [string, PlatformService] => [t.deadLetter(f), 'connectors']),
    [t.caseEvents, 'cases'],
    [t.internalDeadLetter('status-changes'), 'cases'],
    [t.escalationEvents, 'escalations'],
    [t.internalDeadLetter('case-events'), 'escalations'],
    [t.notifications, 'contacts'],
    [t.internalDeadLetter('escalation-events'), 'contacts'],
  ];
  const table = writers.flatMap(([topic, writer]) =>
    PLATFORM_SERVICES.map((service) => ({
      service,
      topic,
      name: topic.slice(prefix.length),
      expected: service === writer ? 'ok' : 'TOPIC_AUTHORIZATION_FAILED',
    })),
  );

  it.each(table)('$service writing $name: $expected', async ({ service, topic, expected }) => {
    expect(await sendAs(as(service), topic)).toBe(expected);
  });

  it("refuses every platform service an agency's own topic", async () => {
    for (const service of PLATFORM_SERVICES) {
      expect(await sendAs(as(service), t.agency('police', 'tvp-niche'))).toBe('TOPIC_AUTHORIZATION_FAILED');
    }
  });

  it('still refuses an agency source system every internal topic', async () => {
    for (const [topic] of writers) {
      expect(await sendAs(testPrincipal('tvp-niche'), topic)).toBe('TOPIC_AUTHORIZATION_FAILED');
    }
  });

  it("refuses a service its own topic under another deployment's prefix (grants are per TOPIC_PREFIX)", async () => {
    const other = topics(uniquePrefix());
    await admin.createTopics({
      waitForLeaders: true,
      topics: [{ topic: other.caseEvents, numPartitions: 1 }],
    });
    expect(await sendAs(as('cases'), other.caseEvents)).toBe('TOPIC_AUTHORIZATION_FAILED');
  });
});

describe('each platform service reads its input in its own consumer group', () => {
  it('lets the connectors read a source system topic in a connector group', async () => {
    expect(
      await consumeAs(as('connectors'), `${prefix}mash-connector-police`, t.agency('police', 'tvp-niche')),
    ).toBe('ok');
  });

  it('lets cases read status changes in its group', async () => {
    expect(await consumeAs(as('cases'), `${prefix}mash-cases`, t.statusChanges)).toBe('ok');
  });

  it('lets escalations read case events in its group', async () => {
    expect(await consumeAs(as('escalations'), `${prefix}mash-escalations`, t.caseEvents)).toBe('ok');
  });

  it('lets contacts read escalation events in its group', async () => {
    expect(await consumeAs(as('contacts'), `${prefix}mash-contacts`, t.escalationEvents)).toBe('ok');
  });

  it("lets the gateway's live consumer read escalation events and notifications in a group of its own", async () => {
    expect(await consumeAs(as('gateway'), `${prefix}mash-gateway-live-1234`, t.escalationEvents)).toBe('ok');
    expect(await consumeAs(as('gateway'), `${prefix}mash-gateway-live-4321`, t.notifications)).toBe('ok');
  });

  it('refuses the gateway case events, which carry case snapshots', async () => {
    expect(await consumeAs(as('gateway'), `${prefix}mash-gateway-live-5678`, t.caseEvents)).toBe(
      'TOPIC_AUTHORIZATION_FAILED',
    );
  });

  it("refuses a service another service's consumer group", async () => {
    expect(await consumeAs(as('connectors'), `${prefix}mash-cases`, t.agency('police', 'tvp-niche'))).toBe(
      'GROUP_AUTHORIZATION_FAILED',
    );
  });
});

describe('no platform service creates topics: the admin provisions them', () => {
  it('refuses a service creating a topic, even one it may write', async () => {
    const kafka = new Kafka({
      ...testKafkaConfig('platform-acl-create', as('cases')),
      retry: { retries: 0 },
    });
    const client = kafka.admin();
    await client.connect();
    try {
      const created = client.createTopics({ topics: [{ topic: `${prefix}mash.unprovisioned.v1` }] });
      await expect(created.catch(errorType)).resolves.toBe('TOPIC_AUTHORIZATION_FAILED');
    } finally {
      await client.disconnect();
    }
  });
});
