import type { ConsumerConfig, Kafka } from 'kafkajs';
import { silentLogger } from '@mash/service-kit';
import { createKafka, ensureTopics, EventProducer, startConsumer, type RunningConsumer } from './index';
import { testBrokers, testKafkaAuth, uniquePrefix } from '@test/support/kafka';

// Integration, on the real broker: a batching consumer (minBytes above 1) that finds nothing asks for any data and
// lets the broker wait up to a second (kafkajs, patched: `idleMaxWaitTimeInMs`), instead of polling every
// `maxWaitTimeMs` for as long as it is quiet; the first record after a quiet spell is fetched, and a burst after it
// is fetched in order.
jest.setTimeout(60_000);

const logger = silentLogger();
const prefix = uniquePrefix();

let kafka: Kafka;
let producer: EventProducer;
/** Every kafkajs consumer `startConsumer` makes, with the settings it was made with and the fetches it sent. */
const made: { config: ConsumerConfig; fetches: { at: number; duration: number }[] }[] = [];
const running: RunningConsumer[] = [];

beforeAll(async () => {
  kafka = createKafka({
    clientId: 'idle-fetch-int-test',
    brokers: testBrokers(),
    auth: testKafkaAuth(),
    logger,
  });
  const make = kafka.consumer.bind(kafka);
  kafka.consumer = (config: ConsumerConfig) => {
    const consumer = make(config);
    const entry = { config, fetches: [] as { at: number; duration: number }[] };
    consumer.on(consumer.events.FETCH, (e) =>
      entry.fetches.push({ at: Date.now(), duration: e.payload.duration }),
    );
    made.push(entry);
    return consumer;
  };
  producer = new EventProducer(kafka);
  await producer.connect();
});

afterAll(async () => {
  for (const c of running) await c.stop();
  await producer.stop();
});

async function waitFor(what: string, check: () => boolean, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test('a quiet batching consumer polls about once a second, and a record after the quiet spell still arrives', async () => {
  const topic = `${prefix}idle`;
  await ensureTopics(kafka, [{ topic, numPartitions: 3 }]);
  const seen: number[] = [];
  const consumer = await startConsumer({
    kafka,
    logger,
    groupId: `${prefix}idle-group`,
    topics: [topic],
    fromBeginning: true,
    minBytes: 64 * 1024,
    maxWaitTimeMs: 100,
    handleBatch: async (messages) => {
      for (const m of messages) seen.push((JSON.parse(m.value!.toString('utf8')) as { n: number }).n);
    },
  });
  running.push(consumer);
  await consumer.joined;
  const entry = made.find((m) => m.config.groupId === `${prefix}idle-group`)!;
  expect(entry.config).toMatchObject({
    minBytes: 64 * 1024,
    maxWaitTimeInMs: 100,
    idleMaxWaitTimeInMs: 1000,
  });

  // Quiet: nothing on the topic. Polled every 100 ms this would be about 30 fetches in 3 s.
  await sleep(1500);
  const from = Date.now();
  await sleep(3000);
  const quiet = entry.fetches.filter((f) => f.at > from);
  expect(quiet.length).toBeGreaterThanOrEqual(1);
  expect(quiet.length).toBeLessThanOrEqual(6);
  // The broker held them open for the idle wait, not the busy one.
  expect(Math.max(...quiet.map((f) => f.duration))).toBeGreaterThanOrEqual(900);

  // One record after the quiet spell, then a burst: every record arrives, each key's in order.
  await producer.send(topic, [{ key: 'k0', value: { n: 0 } }]);
  await waitFor('the first record', () => seen.length === 1);
  await producer.send(
    topic,
    Array.from({ length: 300 }, (_, i) => ({ key: `k${i % 3}`, value: { n: i + 1 } })),
  );
  await waitFor('the burst', () => seen.length === 301);
  expect([...seen].sort((a, b) => a - b)).toEqual(Array.from({ length: 301 }, (_, i) => i));
  for (let k = 0; k < 3; k++) {
    const ofKey = seen.filter((n) => n > 0 && (n - 1) % 3 === k);
    expect(ofKey).toEqual([...ofKey].sort((a, b) => a - b));
  }
});

test('a consumer that answers on any byte (minBytes 1) is made as before, without the idle wait', async () => {
  const topic = `${prefix}plain`;
  await ensureTopics(kafka, [{ topic, numPartitions: 1 }]);
  const consumer = await startConsumer({
    kafka,
    logger,
    groupId: `${prefix}plain-group`,
    topics: [topic],
    handle: async () => undefined,
  });
  running.push(consumer);
  const entry = made.find((m) => m.config.groupId === `${prefix}plain-group`)!;
  expect(entry.config.maxWaitTimeInMs).toBe(1000);
  expect(entry.config).not.toHaveProperty('idleMaxWaitTimeInMs');
  expect(entry.config).not.toHaveProperty('minBytes');
});
