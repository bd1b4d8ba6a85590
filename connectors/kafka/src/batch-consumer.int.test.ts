import type { Admin, Kafka } from 'kafkajs';
import { openDatabase, silentLogger, type DataSource } from '@mash/service-kit';
import { DeadLetterHeaders } from '@mash/schema';
import {
  createKafka,
  deadLetterHeaders,
  ensureTopics,
  EventProducer,
  PipelineMetrics,
  startConsumer,
  type ConsumedMessage,
  type ConsumerOptions,
  type RunningConsumer,
} from './index';
import { createTestDatabase, type TestDatabase } from '@test/support/database';
import { testBrokers, testKafkaAuth, uniquePrefix } from '@test/support/kafka';

// Integration: batches on a real broker and a real Postgres. Each test's handler applies a batch in one
// transaction (one multi-row insert), as the pipeline's stages do.
jest.setTimeout(90_000);

const logger = silentLogger();
const prefix = uniquePrefix();
const schema = 'batch';

async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 45_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

let kafka: Kafka;
let admin: Admin;
let database: TestDatabase;
let dataSource: DataSource;
let out: EventProducer;
const topicsCreated: string[] = [];
let cleanups: (() => Promise<void>)[] = [];

async function topic(name: string, numPartitions = 1): Promise<string> {
  const full = `${prefix}${name}`;
  await ensureTopics(kafka, [{ topic: full, numPartitions }]);
  topicsCreated.push(full);
  return full;
}

async function consume(options: Omit<ConsumerOptions, 'kafka' | 'logger'>): Promise<RunningConsumer> {
  const consumer = await startConsumer({ kafka, logger, maxWaitTimeMs: 200, ...options });
  cleanups.push(() => consumer.stop());
  return consumer;
}

async function committed(groupId: string, name: string): Promise<number> {
  const [result] = await admin.fetchOffsets({ groupId, topics: [name] });
  return Number(result?.partitions.find((p) => p.partition === 0)?.offset ?? -1);
}

const body = (m: ConsumedMessage) => JSON.parse(m.value!.toString('utf8')) as { n: number; at: string };

/** Applies records to `table` in one transaction, one multi-row insert; a replayed record changes nothing. */
function applier(table: string, applied: number[]) {
  return async (messages: readonly ConsumedMessage[]) => {
    const rows = messages.map(body);
    await dataSource.transaction(async (m) => {
      await m.query(
        `INSERT INTO "${schema}"."${table}" ("n", "at")
         SELECT * FROM unnest($1::int[], $2::timestamptz[]) ON CONFLICT ("n") DO NOTHING`,
        [rows.map((r) => r.n), rows.map((r) => r.at)],
      );
    });
    applied.push(...rows.map((r) => r.n));
  };
}

async function table(name: string): Promise<string> {
  await dataSource.query(
    `CREATE TABLE "${schema}"."${name}" ("n" int PRIMARY KEY, "at" timestamptz NOT NULL, "seq" bigserial)`,
  );
  return name;
}

async function rows(name: string): Promise<number[]> {
  const found = (await dataSource.query(`SELECT "n" FROM "${schema}"."${name}" ORDER BY "seq"`)) as {
    n: number;
  }[];
  return found.map((r) => r.n);
}

async function publish(name: string, ns: readonly number[], poison: readonly number[] = []): Promise<void> {
  await out.send(
    name,
    ns.map((n) => ({
      key: 'subject-1',
      // 30 February: Date.parse accepts it, Postgres refuses it.
      value: {
        n,
        at: poison.includes(n) ? '2026-02-30T10:00:00Z' : new Date(Date.UTC(2026, 0, n)).toISOString(),
      },
    })),
  );
}

beforeAll(async () => {
  kafka = createKafka({ brokers: testBrokers(), clientId: 'batch-int-test', logger, auth: testKafkaAuth() });
  admin = kafka.admin();
  await admin.connect();
  out = new EventProducer(kafka);
  await out.connect();
  database = await createTestDatabase();
  dataSource = await openDatabase({
    url: database.url,
    schema,
    entities: [],
    migrations: [],
    applicationName: 'batch-int-test',
    poolSize: 4,
  });
});

afterEach(async () => {
  const pending = cleanups.reverse();
  cleanups = [];
  for (const cleanup of pending) await cleanup();
});

afterAll(async () => {
  await out?.stop();
  if (topicsCreated.length > 0) await admin.deleteTopics({ topics: topicsCreated });
  await admin?.disconnect();
  await dataSource?.destroy();
  await database?.drop();
});

describe('batch consumer', () => {
  it('dead-letters a record Postgres refuses in the middle of a batch and applies the rest in order', async () => {
    const source = await topic('poison-batch');
    const dlq = await topic('poison-batch.dlq');
    const target = await table('poison_batch');
    const groupId = `${prefix}poison-batch.group`;
    await publish(source, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], [5]);

    const metrics = new PipelineMetrics();
    const applied: number[] = [];
    const batches: number[] = [];
    const handle = applier(target, applied);
    await consume({
      groupId,
      topics: [source],
      metrics,
      handleBatch: async (messages) => {
        batches.push(messages.length);
        await handle(messages);
      },
      deadLetter: (m, err) =>
        out.send(dlq, [
          {
            key: m.key ?? '',
            value: m.value ?? '',
            headers: deadLetterHeaders(m, err.code, err.message, 'now'),
          },
        ]),
    });
    await waitFor('every offset to be committed', async () => (await committed(groupId, source)) === 10);

    // The batch of ten failed as a whole, then went record by record: the poison one was set aside.
    expect(batches[0]).toBe(10);
    expect(applied).toEqual([1, 2, 3, 4, 6, 7, 8, 9, 10]);
    expect(await rows(target)).toEqual([1, 2, 3, 4, 6, 7, 8, 9, 10]);

    const dead: ConsumedMessage[] = [];
    await consume({ groupId: `${dlq}.reader`, topics: [dlq], handle: async (m) => void dead.push(m) });
    await waitFor('the dead-lettered record', () => dead.length === 1);
    expect(body(dead[0]!).n).toBe(5);
    expect(dead[0]!.headers[DeadLetterHeaders.code]?.toString()).toBe('EVENT_DATA_REFUSED');
    const reason = dead[0]!.headers[DeadLetterHeaders.reason]?.toString() ?? '';
    expect(reason).toMatch(/^the database refused the record \(SQLSTATE 22008\): /);
    // The refused value is not repeated in the reason (it may be personal data).
    expect(reason).not.toContain('2026-02-30');
    expect(dead[0]!.headers[DeadLetterHeaders.sourceOffset]?.toString()).toBe('4');

    const text = await metrics.registry.metrics();
    expect(text).toContain(
      `mash_consumer_dead_lettered_total{group="${groupId}",code="EVENT_DATA_REFUSED"} 1`,
    );
    expect(text).toContain(`mash_consumer_records_total{group="${groupId}"} 10`);
  });

  it('loses and duplicates nothing when a consumer dies after the database commit and before the offset commit', async () => {
    const source = await topic('crash-after-commit');
    const target = await table('crash_after_commit');
    const groupId = `${prefix}crash-after-commit.group`;
    await publish(source, [1, 2, 3, 4, 5, 6]);

    // The first consumer commits its transaction, then dies before its offsets are committed, every time.
    const firstApplied: number[] = [];
    const first = await consume({
      groupId,
      topics: [source],
      handleBatch: applier(target, firstApplied),
      retry: { retries: 0 },
      hooks: {
        afterApply: () => {
          throw new Error('killed between the database commit and the offset commit');
        },
      },
    });
    await waitFor('the first consumer to apply the batch', () => firstApplied.length >= 6);
    await first.stop();
    expect(await committed(groupId, source)).toBeLessThanOrEqual(0);
    expect(await rows(target)).toEqual([1, 2, 3, 4, 5, 6]);

    // Its replacement in the same group gets the same records again: applying them again changes nothing.
    const secondApplied: number[] = [];
    await consume({ groupId, topics: [source], handleBatch: applier(target, secondApplied) });
    await waitFor('the offsets to be committed', async () => (await committed(groupId, source)) === 6);
    expect(secondApplied).toEqual([1, 2, 3, 4, 5, 6]);
    await publish(source, [7, 8]);
    await waitFor('the records published after the restart', () => secondApplied.length === 8);
    expect(secondApplied).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(await rows(target)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(await committed(groupId, source)).toBe(8);
  });

  it('starts again after a crash kafkajs does not restart from (an error it deems not retriable)', async () => {
    const source = await topic('crash-not-retriable');
    const target = await table('crash_not_retriable');
    const groupId = `${prefix}crash-not-retriable.group`;
    await publish(source, [1, 2, 3]);

    // A TypeError is not retried by p-retry nor by kafkajs, which then stops the consumer for good on its own.
    const applied: number[] = [];
    const apply = applier(target, applied);
    let attempts = 0;
    await consume({
      groupId,
      topics: [source],
      handleBatch: async (messages) => {
        attempts++;
        if (attempts === 1) throw new TypeError('a bug met once');
        await apply(messages);
      },
    });
    await waitFor('the offsets to be committed', async () => (await committed(groupId, source)) === 3);
    expect(attempts).toBeGreaterThanOrEqual(2);
    expect(await rows(target)).toEqual([1, 2, 3]);
  });

  it('loses nothing when a consumer dies before the database commit', async () => {
    const source = await topic('crash-before-commit');
    const target = await table('crash_before_commit');
    const groupId = `${prefix}crash-before-commit.group`;
    await publish(source, [1, 2, 3, 4]);

    let attempts = 0;
    const first = await consume({
      groupId,
      topics: [source],
      retry: { retries: 0 },
      handleBatch: async () => {
        attempts++;
        await dataSource.transaction(async (m) => {
          await m.query(`INSERT INTO "${schema}"."${target}" ("n", "at") VALUES (99, now())`);
          throw new Error('killed inside the transaction');
        });
      },
    });
    await waitFor('the first consumer to fail', () => attempts >= 1);
    await first.stop();
    expect(await rows(target)).toEqual([]);

    const applied: number[] = [];
    await consume({ groupId, topics: [source], handleBatch: applier(target, applied) });
    await waitFor('the offsets to be committed', async () => (await committed(groupId, source)) === 4);
    expect(await rows(target)).toEqual([1, 2, 3, 4]);
  });

  describe('runs of several partitions', () => {
    /** Publishes n to partition n % 3, all in one request, so that one fetch finds all three partitions' records. */
    async function publishToPartitions(name: string, ns: readonly number[], poison: readonly number[] = []) {
      const producer = kafka.producer();
      await producer.connect();
      try {
        await producer.send({
          topic: name,
          messages: ns.map((n) => ({
            key: `subject-${n % 3}`,
            partition: n % 3,
            value: JSON.stringify({
              n,
              at: poison.includes(n) ? '2026-02-30T10:00:00Z' : new Date(Date.UTC(2026, 0, n)).toISOString(),
            }),
          })),
        });
      } finally {
        await producer.disconnect();
      }
    }

    async function committedAll(groupId: string, name: string): Promise<number[]> {
      const [result] = await admin.fetchOffsets({ groupId, topics: [name] });
      return [0, 1, 2].map((p) => Number(result?.partitions.find((x) => x.partition === p)?.offset ?? -1));
    }

    /** The rows of each partition (n % 3), in the order they were inserted. */
    async function rowsByPartition(name: string): Promise<number[][]> {
      const all = await rows(name);
      return [0, 1, 2].map((p) => all.filter((n) => n % 3 === p));
    }

    const ns = Array.from({ length: 30 }, (_, i) => i + 1);
    const inOrder = (p: number, except: number[] = []) =>
      ns.filter((n) => n % 3 === p && !except.includes(n));

    it('applies the runs that partitions hand at once as one run, each partition in order, and commits each', async () => {
      const source = await topic('combined', 3);
      const target = await table('combined');
      const groupId = `${prefix}combined.group`;
      await publishToPartitions(source, ns);

      const calls: { partitions: number[]; ns: number[] }[] = [];
      const apply = applier(target, []);
      const metrics = new PipelineMetrics();
      await consume({
        groupId,
        topics: [source],
        metrics,
        handleBatch: async (messages) => {
          calls.push({ partitions: messages.map((m) => m.partition), ns: messages.map((m) => body(m).n) });
          await apply(messages);
        },
      });
      await waitFor('every partition to be committed', async () =>
        (await committedAll(groupId, source)).every((o) => o === 10),
      );

      // One call held all three partitions' records, each partition's together and in order.
      expect(calls).toHaveLength(1);
      expect(new Set(calls[0]!.partitions)).toEqual(new Set([0, 1, 2]));
      for (const p of [0, 1, 2]) expect(calls[0]!.ns.filter((n) => n % 3 === p)).toEqual(inOrder(p));
      expect(await rowsByPartition(target)).toEqual([inOrder(0), inOrder(1), inOrder(2)]);
      const text = await metrics.registry.metrics();
      expect(text).toContain(`mash_consumer_batch_size_count{group="${groupId}"} 1`);
      expect(text).toContain(`mash_consumer_records_total{group="${groupId}"} 30`);
      // The three partitions' batches ended together: their commits went out together, not one request each
      // (scripts/patches: a commit waits for the one in flight and sends only what it did not cover).
      const commits = Number(
        new RegExp(`mash_consumer_offset_commits_total\\{group="${groupId}"\\} (\\d+)`).exec(text)?.[1],
      );
      expect(commits).toBeGreaterThanOrEqual(1);
      expect(commits).toBeLessThan(3);
    });

    it('applies each partition on its own when the combined run fails: a bad record holds back no other partition', async () => {
      const source = await topic('combined-poison', 3);
      const target = await table('combined_poison');
      const groupId = `${prefix}combined-poison.group`;
      await publishToPartitions(source, ns, [14]);

      const calls: number[][] = [];
      const apply = applier(target, []);
      const dead: number[] = [];
      await consume({
        groupId,
        topics: [source],
        handleBatch: async (messages) => {
          calls.push(messages.map((m) => m.partition));
          await apply(messages);
        },
        deadLetter: async (m) => void dead.push(body(m).n),
      });
      await waitFor('every partition to be committed', async () =>
        (await committedAll(groupId, source)).every((o) => o === 10),
      );

      // The combined run of the three failed; partitions 0 and 1 were then applied whole, partition 2 (which holds
      // 14) failed whole and went record by record.
      expect(new Set(calls[0])).toEqual(new Set([0, 1, 2]));
      expect(
        calls
          .filter((c) => c.length === 10)
          .map((c) => c[0])
          .sort(),
      ).toEqual([0, 1, 2]);
      expect(calls.filter((c) => c.length === 1)).toHaveLength(10);
      expect(dead).toEqual([14]);
      expect(await rowsByPartition(target)).toEqual([inOrder(0), inOrder(1), inOrder(2, [14])]);
    });

    it('stops cleanly while a combined run is in flight, and its successor loses and repeats nothing', async () => {
      const source = await topic('combined-stop', 3);
      const target = await table('combined_stop');
      const groupId = `${prefix}combined-stop.group`;
      await publishToPartitions(source, ns);

      let entered: () => void = () => undefined;
      const inRun = new Promise<void>((resolve) => (entered = resolve));
      let release: () => void = () => undefined;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const firstApplied: number[] = [];
      const applyFirst = applier(target, firstApplied);
      const first = await consume({
        groupId,
        topics: [source],
        handleBatch: async (messages) => {
          entered();
          await gate;
          await applyFirst(messages);
        },
      });
      await inRun;
      // The stop waits for the run in flight, which then applies and commits; nothing hangs.
      const stopped = first.stop();
      release();
      await stopped;

      const secondApplied: number[] = [];
      await consume({ groupId, topics: [source], handleBatch: applier(target, secondApplied) });
      await publishToPartitions(source, [31, 32, 33]);
      await waitFor('every partition to be committed', async () =>
        (await committedAll(groupId, source)).every((o) => o === 11),
      );
      const all = [...ns, 31, 32, 33];
      expect(await rowsByPartition(target)).toEqual([0, 1, 2].map((p) => all.filter((n) => n % 3 === p)));
      // The first consumer finished its run of all thirty before it stopped; its successor applied what came after
      // (and again, harmlessly, whatever the first had not committed when it stopped).
      expect([...firstApplied].sort((a, b) => a - b)).toEqual(ns);
      expect(secondApplied.filter((n) => n > 30).sort((a, b) => a - b)).toEqual([31, 32, 33]);
      expect(new Set([...firstApplied, ...secondApplied])).toEqual(new Set(all));
    });

    it('applies runs of different partitions at once with combinedRunsAtOnce, each partition in order', async () => {
      const source = await topic('runs-at-once', 3);
      const target = await table('runs_at_once');
      const groupId = `${prefix}runs-at-once.group`;
      const sixty = Array.from({ length: 60 }, (_, i) => i + 1);
      await publishToPartitions(source, sixty);

      // Each partition's 20 records come as two runs of 10 (maxBatchSize), too many to combine: a run enters, then
      // waits (at most 5 s) until three are in flight, which only three at once can give.
      const calls: number[][] = [];
      let inFlight = 0;
      let most = 0;
      const apply = applier(target, []);
      await consume({
        groupId,
        topics: [source],
        maxBatchSize: 10,
        combinedRunsAtOnce: 3,
        handleBatch: async (messages) => {
          inFlight += 1;
          most = Math.max(most, inFlight);
          calls.push(messages.map((m) => body(m).n));
          const deadline = Date.now() + 5_000;
          while (most < 3 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
          try {
            await apply(messages);
          } finally {
            inFlight -= 1;
          }
        },
      });
      await waitFor('every partition to be committed', async () =>
        (await committedAll(groupId, source)).every((o) => o === 20),
      );

      expect(most).toBe(3);
      // Six runs of one partition each, ten records, each partition's two in order.
      expect(calls.map((c) => [c.length, new Set(c.map((n) => n % 3)).size])).toEqual(
        Array.from({ length: 6 }, () => [10, 1]),
      );
      for (const p of [0, 1, 2]) {
        expect(calls.filter((c) => c[0]! % 3 === p).flat()).toEqual(sixty.filter((n) => n % 3 === p));
      }
      const all = await rows(target);
      for (const p of [0, 1, 2]) {
        expect(all.filter((n) => n % 3 === p)).toEqual(sixty.filter((n) => n % 3 === p));
      }
    });

    it('leaves runs alone with combinePartitions false', async () => {
      const source = await topic('not-combined', 3);
      const target = await table('not_combined');
      const groupId = `${prefix}not-combined.group`;
      await publishToPartitions(source, ns);

      const calls: number[][] = [];
      const apply = applier(target, []);
      await consume({
        groupId,
        topics: [source],
        combinePartitions: false,
        handleBatch: async (messages) => {
          calls.push(messages.map((m) => m.partition));
          await apply(messages);
        },
      });
      await waitFor('every partition to be committed', async () =>
        (await committedAll(groupId, source)).every((o) => o === 10),
      );
      expect(calls.map((c) => new Set(c).size)).toEqual([1, 1, 1]);
      expect(await rowsByPartition(target)).toEqual([inOrder(0), inOrder(1), inOrder(2)]);
    });
  });
});
