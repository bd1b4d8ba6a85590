import { Kafka, Partitioners } from 'kafkajs';
import { PLATFORM_PRINCIPALS } from '@mash/kafka';
import { topics } from '@mash/schema';
import { silentLogger, type KafkaAuth } from '@mash/service-kit';
import { testBrokers, testKafkaConfig, testPrincipal, uniquePrefix } from '@test/support/kafka';
import { loadProvisionConfig, provisionKafka } from '../../../scripts/lib/kafka-provisioning';

// Integration: what docker-compose's kafka-init service runs (scripts/provision-kafka.ts), on the real test broker.

async function sendAs(auth: KafkaAuth, topic: string): Promise<string> {
  const kafka = new Kafka({ ...testKafkaConfig(`provision-${auth.username}`, auth), retry: { retries: 0 } });
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  try {
    await producer.connect();
    await producer.send({ topic, messages: [{ key: 'k', value: '{}' }] });
    return 'ok';
  } catch (err) {
    let e = err as { type?: string; name?: string; cause?: unknown };
    while (!e.type && e.cause) e = e.cause as typeof e;
    return e.type ?? e.name ?? String(err);
  } finally {
    await producer.disconnect().catch(() => undefined);
  }
}

describe('provision-kafka, as docker-compose runs it before the services', () => {
  const prefix = uniquePrefix();
  const t = topics(prefix);

  beforeAll(async () => {
    const config = loadProvisionConfig({
      KAFKA_BROKERS: testBrokers().join(','),
      KAFKA_PASSWORD: testPrincipal('admin').password,
      TOPIC_PREFIX: prefix,
      KAFKA_SOURCE_SYSTEMS: 'police:tvp-niche, health:mkuh-systmone',
    });
    await provisionKafka(config, silentLogger());
  });

  it('creates the internal topics and grants each service its own', async () => {
    expect(await sendAs(testPrincipal(PLATFORM_PRINCIPALS.connectors), t.statusChanges)).toBe('ok');
    expect(await sendAs(testPrincipal(PLATFORM_PRINCIPALS.cases), t.caseEvents)).toBe('ok');
    expect(await sendAs(testPrincipal(PLATFORM_PRINCIPALS.escalations), t.escalationEvents)).toBe('ok');
    expect(await sendAs(testPrincipal(PLATFORM_PRINCIPALS.connectors), t.caseEvents)).toBe(
      'TOPIC_AUTHORIZATION_FAILED',
    );
  });

  it('gives each source system its own topic and nothing else', async () => {
    expect(await sendAs(testPrincipal('tvp-niche'), t.agency('police', 'tvp-niche'))).toBe('ok');
    expect(await sendAs(testPrincipal('mkuh-systmone'), t.agency('health', 'mkuh-systmone'))).toBe('ok');
    expect(await sendAs(testPrincipal('tvp-niche'), t.statusChanges)).toBe('TOPIC_AUTHORIZATION_FAILED');
  });

  it('is idempotent: a second run changes nothing and fails on nothing', async () => {
    const config = loadProvisionConfig({
      KAFKA_BROKERS: testBrokers().join(','),
      KAFKA_PASSWORD: testPrincipal('admin').password,
      TOPIC_PREFIX: prefix,
      KAFKA_SOURCE_SYSTEMS: 'police:tvp-niche',
    });
    await expect(provisionKafka(config, silentLogger())).resolves.toBeUndefined();
    expect(await sendAs(testPrincipal('tvp-niche'), t.agency('police', 'tvp-niche'))).toBe('ok');
  });
});

describe("provision-kafka's configuration", () => {
  it('names every bad variable at once', () => {
    expect(() => loadProvisionConfig({ KAFKA_SOURCE_SYSTEMS: 'police:TVP Niche' })).toThrow(
      /KAFKA_BROKERS: is required[\s\S]*KAFKA_PASSWORD: is required[\s\S]*KAFKA_SOURCE_SYSTEMS: "police:TVP Niche" must be family:code/,
    );
  });
});
