import { Kafka, Partitioners, type Admin } from 'kafkajs';
import { topics } from '@mash/schema';
import { testKafkaConfig, testPrincipal, uniquePrefix } from '@test/support/kafka';
import { provisionSourceSystems } from './acls';
import { ensureTopics } from './topics';

// Integration: the real broker (SASL/SCRAM-SHA-512, StandardAuthorizer) started by the global setup, with the
// principals it was formatted with: admin, platform, and one per agency source system.

const prefix = uniquePrefix();
const t = topics(prefix);
const platform = new Kafka(testKafkaConfig('acl-test-platform'));
let admin: Admin;

/** What a send as `principal` (with `password`, default its own) ends in: 'ok' or the error's type and message. */
async function sendAs(principal: string, topic: string, password?: string): Promise<string> {
  const auth = { ...testPrincipal(principal), ...(password !== undefined && { password }) };
  const kafka = new Kafka({ ...testKafkaConfig(`acl-test-${principal}`, auth), retry: { retries: 0 } });
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  try {
    await producer.connect();
    await producer.send({ topic, messages: [{ key: 'k', value: '{}' }] });
    return 'ok';
  } catch (err) {
    // kafkajs wraps the broker's answer (a KafkaJSProtocolError with its type) in the error that ended the send.
    let e = err as { type?: string; name?: string; message: string; cause?: unknown };
    while (!e.type && e.cause) e = e.cause as typeof e;
    return `${e.type ?? e.name}: ${e.message}`;
  } finally {
    await producer.disconnect().catch(() => undefined);
  }
}

beforeAll(async () => {
  admin = new Kafka(testKafkaConfig('acl-test-admin', testPrincipal('admin'))).admin();
  await admin.connect();
  await ensureTopics(platform, [
    { topic: t.statusChanges, numPartitions: 1 },
    { topic: t.caseEvents, numPartitions: 1 },
    { topic: t.escalationEvents, numPartitions: 1 },
    { topic: t.deadLetter('police'), numPartitions: 1 },
  ]);
  await provisionSourceSystems(admin, prefix, [
    { principal: 'tvp-niche', family: 'police' },
    { principal: 'mkuh-systmone', family: 'health' },
    { principal: 'other-police-force', family: 'police' },
  ]);
});

afterAll(async () => {
  await admin?.disconnect();
});

describe('the broker authenticates every client and authorises each agency source system to its own topic', () => {
  it('lets a source system write its own topic', async () => {
    expect(await sendAs('tvp-niche', t.agency('police', 'tvp-niche'))).toBe('ok');
    expect(await sendAs('mkuh-systmone', t.agency('health', 'mkuh-systmone'))).toBe('ok');
  });

  it("refuses a source system another agency's topic with TOPIC_AUTHORIZATION_FAILED", async () => {
    expect(await sendAs('tvp-niche', t.agency('health', 'mkuh-systmone'))).toMatch(
      /^TOPIC_AUTHORIZATION_FAILED: /,
    );
    expect(await sendAs('mkuh-systmone', t.agency('police', 'tvp-niche'))).toMatch(
      /^TOPIC_AUTHORIZATION_FAILED: /,
    );
  });

  it('refuses a source system every internal topic: status changes, case events, escalation events, dead letters', async () => {
    for (const topic of [t.statusChanges, t.caseEvents, t.escalationEvents, t.deadLetter('police')]) {
      expect(await sendAs('tvp-niche', topic)).toMatch(/^TOPIC_AUTHORIZATION_FAILED: /);
    }
  });

  it("refuses a source system another system's topic of the same family, so it cannot publish in its name", async () => {
    expect(await sendAs('other-police-force', t.agency('police', 'other-police-force'))).toBe('ok');
    expect(await sendAs('other-police-force', t.agency('police', 'tvp-niche'))).toMatch(
      /^TOPIC_AUTHORIZATION_FAILED: /,
    );
  });

  it('refuses a principal with no grant at all', async () => {
    expect(await sendAs('mk-cpoms', t.agency('police', 'tvp-niche'))).toMatch(
      /^TOPIC_AUTHORIZATION_FAILED: /,
    );
  });

  it('refuses wrong credentials at authentication', async () => {
    expect(await sendAs('tvp-niche', t.agency('police', 'tvp-niche'), 'not-the-password')).toMatch(
      /^KafkaJSSASLAuthenticationError: SASL SCRAM SHA512 authentication failed/,
    );
  });

  it('lets the platform services write their internal topics', async () => {
    const producer = platform.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    try {
      const [result] = await producer.send({ topic: t.caseEvents, messages: [{ key: 'k', value: '{}' }] });
      expect(result?.errorCode).toBe(0);
    } finally {
      await producer.disconnect();
    }
  });
});
