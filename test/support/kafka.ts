import { randomBytes } from 'node:crypto';
import { logLevel, type Admin, type Kafka, type KafkaConfig } from 'kafkajs';
import {
  createKafka,
  ensureTopics,
  kafkaSecurity,
  PLATFORM_PRINCIPALS,
  PLATFORM_SERVICES,
  type PlatformService,
} from '@mash/kafka';
import { silentLogger, type KafkaAuth } from '@mash/service-kit';
import type { PlatformKafkaPrincipals } from '../../scripts/lib/platform';

/** Where global-setup puts the test broker's principals (name to password), for tests that act as one of them. */
export const PRINCIPALS_ENV = 'MASH_TEST_KAFKA_PRINCIPALS';

/**
 * What test clients and services started on their own connect as (`KAFKA_USERNAME`/`KAFKA_PASSWORD`): the test
 * broker's admin, set by global-setup, or the principal given with KAFKA_BROKERS; undefined for a broker without
 * SASL.
 */
export function testKafkaAuth(): KafkaAuth | undefined {
  const username = process.env['KAFKA_USERNAME'];
  const password = process.env['KAFKA_PASSWORD'];
  return username && password ? { username, password } : undefined;
}

/**
 * Another principal of the test broker: `admin`, a platform service's (`mash-cases`) or an agency source
 * system's (`tvp-niche`).
 */
export function testPrincipal(name: string): KafkaAuth {
  const all = JSON.parse(process.env[PRINCIPALS_ENV] ?? '{}') as Record<string, string>;
  const password = all[name];
  if (!password) throw new Error(`the test broker has no principal "${name}" (${PRINCIPALS_ENV})`);
  return { username: name, password };
}

/**
 * The platform services' own principals and the admin that grants them their ACLs, on the broker global-setup
 * started; undefined on a broker given with KAFKA_BROKERS (the platform then runs as its one principal).
 */
export function testPlatformPrincipals(): PlatformKafkaPrincipals | undefined {
  const all = JSON.parse(process.env[PRINCIPALS_ENV] ?? '{}') as Record<string, string>;
  if (!all['admin'] || PLATFORM_SERVICES.some((s) => !all[PLATFORM_PRINCIPALS[s]])) return undefined;
  return {
    admin: testPrincipal('admin'),
    services: Object.fromEntries(
      PLATFORM_SERVICES.map((s) => [s, testPrincipal(PLATFORM_PRINCIPALS[s])]),
    ) as Record<PlatformService, KafkaAuth>,
  };
}

/** kafkajs settings for a test client on the test broker, as the admin unless told otherwise. */
export function testKafkaConfig(
  clientId: string,
  auth: KafkaAuth | undefined = testKafkaAuth(),
): KafkaConfig {
  return { clientId, brokers: testBrokers(), logLevel: logLevel.NOTHING, ...kafkaSecurity(auth) };
}

/** A prefix for this test's topics and consumer groups (`t1a2b3c4.`), so tests never see each other's messages. */
export function uniquePrefix(): string {
  return `t${randomBytes(4).toString('hex')}.`;
}

/** The test broker's bootstrap addresses, from `KAFKA_BROKERS` (set by the integration global setup). */
export function testBrokers(): string[] {
  const brokers = (process.env['KAFKA_BROKERS'] ?? '')
    .split(',')
    .map((b) => b.trim())
    .filter((b) => b.length > 0);
  if (brokers.length === 0) {
    throw new Error(
      'KAFKA_BROKERS is not set: run integration tests through jest --selectProjects integration',
    );
  }
  return brokers;
}

/**
 * Every record of `topic` as `key:value`, per partition in offset order, once `count` have arrived (read from the
 * beginning by a group of its own, `<topic>-reader`); fails after `timeoutMs`.
 */
export async function readRecords(
  kafka: Kafka,
  topic: string,
  count: number,
  timeoutMs = 45_000,
): Promise<Map<number, string[]>> {
  const consumer = kafka.consumer({ groupId: `${topic}-reader`, maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  const found = new Map<number, string[]>();
  let seen = 0;
  let done: () => void = () => undefined;
  const all = new Promise<void>((resolve) => (done = resolve));
  await consumer.run({
    eachMessage: async ({ partition, message }) => {
      const list = found.get(partition) ?? [];
      list.push(`${message.key?.toString() ?? ''}:${message.value?.toString() ?? ''}`);
      found.set(partition, list);
      if (++seen >= count) done();
    },
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      all,
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`read ${seen} of ${count}`)), timeoutMs);
      }),
    ]);
  } finally {
    clearTimeout(timer);
    await consumer.disconnect();
  }
  return found;
}

/**
 * A test file's client of the test broker and the topics it makes: `topic(name, partitions)` creates
 * `<a unique prefix><name>`, `read` is `readRecords` with this client, and every topic made is deleted when the
 * file is done. Call it at the top level of the file: it adds the file's `beforeAll` and `afterAll`.
 */
export function testTopics(clientId: string) {
  const prefix = uniquePrefix();
  const created: string[] = [];
  let client: Kafka | undefined;
  let admin: Admin | undefined;
  beforeAll(async () => {
    client = createKafka({ brokers: testBrokers(), clientId, logger: silentLogger(), auth: testKafkaAuth() });
    admin = client.admin();
    await admin.connect();
  });
  afterAll(async () => {
    if (created.length > 0) await admin?.deleteTopics({ topics: created });
    await admin?.disconnect();
  });
  const kafka = (): Kafka => {
    if (!client) throw new Error('testTopics: the client is made in beforeAll');
    return client;
  };
  return {
    get kafka(): Kafka {
      return kafka();
    },
    async topic(name: string, numPartitions = 1): Promise<string> {
      const full = `${prefix}${name}`;
      await ensureTopics(kafka(), [{ topic: full, numPartitions }]);
      created.push(full);
      return full;
    },
    /** Every record of `name` as `key:value`, in offset order per partition, once `count` are there. */
    read: (name: string, count: number) => readRecords(kafka(), name, count),
  };
}
