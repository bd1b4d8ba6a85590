import { randomBytes } from 'node:crypto';
import type { Admin, Kafka } from 'kafkajs';
import { openDatabase, silentLogger, type DataSource } from '@mash/service-kit';
import {
  createKafka,
  createTopicsAndWait,
  enqueueOutbox,
  ensureTopics,
  EventProducer,
  NonRetriableError,
  OutboxRelay,
  outboxDeadLetterTableSql,
  outboxRowsUncompressedSql,
  outboxTableSql,
  outboxValueAsJsonSql,
  startConsumer,
  type ConsumedMessage,
  type ConsumerOptions,
} from './index';
import { createTestDatabase, type TestDatabase } from '@test/support/database';
import { testBrokers, testKafkaAuth, uniquePrefix } from '@test/support/kafka';

// Integration: a real broker (KAFKA_BROKERS, started by test/support/global-setup.ts) and a real Postgres
// (a throwaway database on TEST_DATABASE_URL's server).

// The integration project's `testTimeout` in jest.config.js is a global option jest ignores per project.
jest.setTimeout(60_000);

const logger = silentLogger();
const prefix = uniquePrefix();

async function waitFor(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const json = (m: ConsumedMessage): Record<string, unknown> =>
  JSON.parse(m.value?.toString('utf8') ?? 'null') as Record<string, unknown>;

let kafka: Kafka;
let admin: Admin;
const topicsCreated: string[] = [];
let cleanups: (() => Promise<void>)[] = [];

/** Creates single-partition topics (so order is observable) and remembers them for deletion. */
async function topics(...names: string[]): Promise<string[]> {
  const full = names.map((n) => `${prefix}${n}`);
  await ensureTopics(
    kafka,
    full.map((topic) => ({ topic, numPartitions: 1 })),
  );
  topicsCreated.push(...full);
  return full;
}

async function producer(): Promise<EventProducer> {
  const p = new EventProducer(kafka);
  await p.connect();
  cleanups.push(() => p.stop());
  return p;
}

async function consume(
  options: Omit<ConsumerOptions, 'kafka' | 'logger'>,
): Promise<Awaited<ReturnType<typeof startConsumer>>> {
  const consumer = await startConsumer({ kafka, logger, ...options });
  cleanups.push(() => consumer.stop());
  return consumer;
}

/** Collects every message of `topic` from the beginning, with a group of its own. */
async function collect(topic: string): Promise<ConsumedMessage[]> {
  const seen: ConsumedMessage[] = [];
  await consume({
    groupId: `${topic}.reader`,
    topics: [topic],
    handle: async (m) => {
      seen.push(m);
    },
  });
  return seen;
}

/** The group's committed offset for partition 0 (the next offset it would read; -1 when none). */
async function committed(groupId: string, topic: string): Promise<number> {
  const [result] = await admin.fetchOffsets({ groupId, topics: [topic] });
  return Number(result?.partitions.find((p) => p.partition === 0)?.offset ?? -1);
}

/** How many records partition 0 holds (its high watermark). */
async function records(topic: string): Promise<number> {
  const offsets = await admin.fetchTopicOffsets(topic);
  return Number(offsets.find((p) => p.partition === 0)?.high ?? 0);
}

beforeAll(async () => {
  kafka = createKafka({ brokers: testBrokers(), clientId: 'kafka-int-test', logger, auth: testKafkaAuth() });
  admin = kafka.admin();
  await admin.connect();
});

afterEach(async () => {
  const pending = cleanups.reverse();
  cleanups = [];
  for (const cleanup of pending) await cleanup();
});

afterAll(async () => {
  if (topicsCreated.length > 0) await admin.deleteTopics({ topics: topicsCreated });
  await admin.disconnect();
});

describe('consumer', () => {
  it('hands a message whose handler throws NonRetriableError to the dead-letter hook and handles the next one', async () => {
    const [topic, dlq] = (await topics('poison', 'poison.dlq')) as [string, string];
    const groupId = `${prefix}poison.group`;
    const out = await producer();
    await out.send(topic, [
      { key: 'subject-1', value: { n: 1, poison: true } },
      { key: 'subject-1', value: { n: 2 } },
    ]);

    const handled: unknown[] = [];
    const deadLettered: { offset: string; code: string }[] = [];
    await consume({
      groupId,
      topics: [topic],
      handle: async (m) => {
        const body = json(m);
        if (body['poison']) throw new NonRetriableError('TEST_POISON', 'this message can never be handled');
        handled.push(body['n']);
      },
      deadLetter: async (m, err) => {
        await out.send(dlq, [{ key: m.key ?? '', value: m.value ?? '', headers: { 'x-reason': err.code } }]);
        deadLettered.push({ offset: m.offset, code: err.code });
      },
    });

    await waitFor(
      'the second message to be handled',
      () => handled.length === 1 && deadLettered.length === 1,
    );
    expect(handled).toEqual([2]);
    expect(deadLettered).toEqual([{ offset: '0', code: 'TEST_POISON' }]);
    // Both offsets are committed: a restarted consumer would not see the poison message again.
    await waitFor('both offsets to be committed', async () => (await committed(groupId, topic)) === 2);

    const dead = await collect(dlq);
    await waitFor('the dead-lettered copy', () => dead.length === 1);
    expect(dead[0]?.key).toBe('subject-1');
    expect(json(dead[0]!)).toEqual({ n: 1, poison: true });
    expect(dead[0]?.headers['x-reason']?.toString()).toBe('TEST_POISON');
  });

  it('retries a message whose handler fails with a retriable error and commits it only once it succeeded', async () => {
    const [topic] = (await topics('flaky')) as [string];
    const groupId = `${prefix}flaky.group`;
    const out = await producer();
    await out.send(topic, [
      { key: 'case-1', value: { id: 'm1' } },
      { key: 'case-1', value: { id: 'm2' } },
    ]);

    let failuresLeft = 2;
    const attempts: string[] = [];
    const succeeded: string[] = [];
    const committedWhileFailing: number[] = [];
    const handle = async (m: ConsumedMessage) => {
      const id = String(json(m)['id']);
      attempts.push(id);
      if (id === 'm1' && failuresLeft > 0) {
        failuresLeft--;
        committedWhileFailing.push(await committed(groupId, topic));
        throw new Error('database unavailable (transient)');
      }
      succeeded.push(id);
    };
    const first = await consume({ groupId, topics: [topic], handle });

    await waitFor('both messages to succeed', () => succeeded.length === 2);
    expect(attempts).toEqual(['m1', 'm1', 'm1', 'm2']);
    expect(succeeded).toEqual(['m1', 'm2']);
    // While m1 (offset 0) kept failing its offset was not committed (the committed offset is the next to read).
    expect(committedWhileFailing).toHaveLength(2);
    for (const offset of committedWhileFailing) expect(offset).toBeLessThanOrEqual(0);
    await waitFor('both offsets to be committed', async () => (await committed(groupId, topic)) === 2);

    // A restart of the group delivers only what is new: m1 and m2 were handled exactly once in the end.
    await first.stop();
    await consume({ groupId, topics: [topic], handle });
    await out.send(topic, [{ key: 'case-1', value: { id: 'm3' } }]);
    await waitFor('m3 after the restart', () => succeeded.length === 3);
    expect(succeeded).toEqual(['m1', 'm2', 'm3']);
  });
});

describe('ensureTopics', () => {
  it('creates missing topics once and leaves existing ones alone, even when called concurrently', async () => {
    const specs = [{ topic: `${prefix}ensure.a`, numPartitions: 3 }, { topic: `${prefix}ensure.b` }];
    topicsCreated.push(...specs.map((s) => s.topic));

    await ensureTopics(kafka, specs);
    await ensureTopics(kafka, specs);
    await ensureTopics(kafka, [{ topic: `${prefix}ensure.a`, numPartitions: 12 }]);
    const c = { topic: `${prefix}ensure.c`, numPartitions: 2 };
    topicsCreated.push(c.topic);
    await Promise.all([
      ensureTopics(kafka, [c, ...specs]),
      ensureTopics(kafka, [c]),
      ensureTopics(kafka, [c]),
    ]);

    const { topics: metadata } = await admin.fetchTopicMetadata({
      topics: [...specs.map((s) => s.topic), c.topic],
    });
    const partitions = Object.fromEntries(metadata.map((t) => [t.name, t.partitions.length]));
    expect(partitions).toEqual({ [`${prefix}ensure.a`]: 3, [`${prefix}ensure.b`]: 6, [c.topic]: 2 });
  });

  it('answers once every partition of the new topics has a leader, also when another creator was first', async () => {
    const specs = Array.from({ length: 5 }, (_, i) => ({ topic: `${prefix}leaders.${i}`, numPartitions: 4 }));
    topicsCreated.push(...specs.map((s) => s.topic));
    // Two creators at once: one creates, the other finds them existing; both wait for the leaders.
    await Promise.all([createTopicsAndWait(admin, specs), createTopicsAndWait(admin, specs)]);

    const { topics: metadata } = await admin.fetchTopicMetadata({ topics: specs.map((s) => s.topic) });
    const seen = metadata
      .map((t) => ({
        topic: t.name,
        partitions: t.partitions.length,
        led: t.partitions.every((p) => p.leader >= 0),
      }))
      .sort((a, b) => a.topic.localeCompare(b.topic));
    expect(seen).toEqual(specs.map((s) => ({ topic: s.topic, partitions: 4, led: true })));
  });
});

describe('OutboxRelay', () => {
  const schema = 'relay';
  let database: TestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    database = await createTestDatabase();
    dataSource = await openDatabase({
      url: database.url,
      schema,
      entities: [],
      migrations: [],
      applicationName: 'kafka-int-test',
      poolSize: 4,
    });
    // As the services' migrations leave them: both tables, the value kept as written (json).
    await dataSource.query(outboxTableSql(schema));
    await dataSource.query(outboxDeadLetterTableSql(schema));
    for (const sql of outboxValueAsJsonSql(schema)) await dataSource.query(sql);
    for (const sql of outboxRowsUncompressedSql(schema)) await dataSource.query(sql);
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  it('publishes what committed transactions enqueued, in order, and nothing of a rolled-back one', async () => {
    const [events, other] = (await topics('outbox.events', 'outbox.other')) as [string, string];
    await dataSource.transaction((manager) =>
      enqueueOutbox(manager, schema, [
        { topic: events, key: 'case-1', value: { n: 'a1' }, headers: { 'ce-type': 'test.v1' } },
        { topic: events, key: 'case-2', value: { n: 'a2' } },
        { topic: other, key: 'case-1', value: { n: 'b1' } },
        { topic: events, key: 'case-1', value: { n: 'a3' } },
      ]),
    );
    await expect(
      dataSource.transaction(async (manager) => {
        await enqueueOutbox(manager, schema, [{ topic: events, key: 'case-1', value: { n: 'rolled-back' } }]);
        throw new Error('the state change failed');
      }),
    ).rejects.toThrow('the state change failed');
    await dataSource.transaction((manager) =>
      enqueueOutbox(manager, schema, [{ topic: events, key: 'case-3', value: { n: 'a4' } }]),
    );

    const seenEvents = await collect(events);
    const seenOther = await collect(other);
    const relay = new OutboxRelay({
      dataSource,
      schema,
      producer: await producer(),
      logger,
      pollIntervalMs: 50,
    });
    relay.start();
    cleanups.push(() => relay.stop());

    await waitFor('the outbox to be drained', async () => {
      const [row] = (await dataSource.query(`SELECT count(*)::int AS "n" FROM "${schema}"."outbox"`)) as {
        n: number;
      }[];
      return row?.n === 0;
    });
    await waitFor('the relayed messages', () => seenEvents.length === 4 && seenOther.length === 1);
    expect(seenEvents.map((m) => [m.key, json(m)['n']])).toEqual([
      ['case-1', 'a1'],
      ['case-2', 'a2'],
      ['case-1', 'a3'],
      ['case-3', 'a4'],
    ]);
    expect(seenEvents[0]?.headers['ce-type']?.toString()).toBe('test.v1');
    expect(seenOther.map((m) => json(m)['n'])).toEqual(['b1']);
    // Exactly what committed went out: the partitions hold no other record.
    expect(await records(events)).toBe(4);
    expect(await records(other)).toBe(1);
  });

  it('answers a poll of an outbox it found empty with one statement and no transaction, and reads waiting rows under its lock', async () => {
    const [events] = (await topics('outbox.idle')) as [string];
    const [empty] = (await dataSource.query(`SELECT count(*)::int AS "n" FROM "${schema}"."outbox"`)) as {
      n: number;
    }[];
    expect(empty?.n).toBe(0);
    const relay = new OutboxRelay({ dataSource, schema, producer: await producer(), logger });
    const transaction = jest.spyOn(dataSource, 'transaction');
    const query = jest.spyOn(dataSource, 'query');
    try {
      // The first poll reads under the lock and finds nothing; the next asks with one statement.
      expect(await relay.drainOnce()).toBe(0);
      expect(transaction).toHaveBeenCalledTimes(1);
      transaction.mockClear();
      query.mockClear();
      expect(await relay.drainOnce()).toBe(0);
      expect(query).toHaveBeenCalledTimes(1);
      expect(transaction).not.toHaveBeenCalled();

      await dataSource.transaction((manager) =>
        enqueueOutbox(manager, schema, [{ topic: events, key: 'case-1', value: { n: 'waiting' } }]),
      );
      transaction.mockClear();
      expect(await relay.drainOnce()).toBe(1);
      // The read under the advisory lock, as before the probe.
      expect(transaction).toHaveBeenCalledTimes(1);
    } finally {
      transaction.mockRestore();
      query.mockRestore();
    }
    expect(await records(events)).toBe(1);
  });

  it('stores a run of 9,000 messages in their order, each with its headers', async () => {
    const before = (await dataSource.query(
      `SELECT coalesce(max("id"), 0)::text AS "id" FROM "${schema}"."outbox"`,
    )) as {
      id: string;
    }[];
    const messages = Array.from({ length: 9_000 }, (_, i) => ({
      topic: 'ordered',
      key: `case-${i % 13}`,
      value: { n: i },
      ...(i % 2 === 0 && { headers: { 'ce-id': `e-${i}` } }),
    }));
    await dataSource.transaction((manager) => enqueueOutbox(manager, schema, messages));
    const stored = (await dataSource.query(
      `SELECT "key", "value"::text AS "value", "headers" FROM "${schema}"."outbox" WHERE "id" > $1 ORDER BY "id"`,
      [before[0]!.id],
    )) as { key: string; value: string; headers: Record<string, string> }[];
    await dataSource.query(`DELETE FROM "${schema}"."outbox" WHERE "id" > $1`, [before[0]!.id]);
    expect(stored).toEqual(
      messages.map((m) => ({ key: m.key, value: JSON.stringify(m.value), headers: m.headers ?? {} })),
    );
  });

  it('stores keys, values and headers with tabs, newlines, backslashes and multi-byte text exactly, in a transaction or not', async () => {
    const before = (await dataSource.query(
      `SELECT coalesce(max("id"), 0)::text AS "id" FROM "${schema}"."outbox"`,
    )) as { id: string }[];
    // Raw tabs, newlines, carriage returns and backslashes in a key; in values they arrive as JSON escapes
    // (backslash sequences), quotes and a Windows path among them; characters of two, three and four UTF-8 bytes.
    const messages = [
      {
        topic: 'escapes',
        key: 'a\tb\\c\nd\ré✓🙂',
        value: { text: 'line one\nline two\ttab "quoted" \\N C:\\dir\\file', n: [1, '\\'] },
        headers: { 'ce-subject': 'x\ty\\z' },
      },
      { topic: 'escapes', key: '\\N', value: { empty: '', name: 'Zoë Ó Súilleabháin 🙂' } },
    ];
    await dataSource.transaction((manager) => enqueueOutbox(manager, schema, [messages[0]!]));
    await enqueueOutbox(dataSource.manager, schema, [messages[1]!]);
    const stored = (await dataSource.query(
      `SELECT "topic", "key", "value"::text AS "value", "headers" FROM "${schema}"."outbox"
        WHERE "id" > $1 ORDER BY "id"`,
      [before[0]!.id],
    )) as { topic: string; key: string; value: string; headers: Record<string, string> }[];
    await dataSource.query(`DELETE FROM "${schema}"."outbox" WHERE "id" > $1`, [before[0]!.id]);
    expect(stored).toEqual(
      messages.map((m) => ({
        topic: 'escapes',
        key: m.key,
        value: JSON.stringify(m.value),
        headers: m.headers ?? {},
      })),
    );
  });

  it('fails the transaction with the database error when the outbox cannot take the rows', async () => {
    await expect(
      dataSource.transaction((manager) =>
        enqueueOutbox(manager, 'no_such_schema', [{ topic: 't', key: 'k', value: { n: 1 } }]),
      ),
    ).rejects.toMatchObject({ code: '3F000' });
    // The pooled connection is usable again.
    await expect(dataSource.query('SELECT 1 AS "one"')).resolves.toEqual([{ one: 1 }]);
  });

  it('publishes each value as the exact JSON text enqueued, whatever its key order', async () => {
    const [exact] = (await topics('outbox.exact')) as [string];
    // Keys in an order jsonb would not keep (it sorts shorter keys first), nested, with unicode and numbers.
    const value = { zebra: { yy: [3, 1.5, null], a: 'é✓' }, b: true, id: 'x-1' };
    await dataSource.transaction((manager) =>
      enqueueOutbox(manager, schema, [{ topic: exact, key: 'k', value }]),
    );
    const seen = await collect(exact);
    const relay = new OutboxRelay({
      dataSource,
      schema,
      producer: await producer(),
      logger,
      pollIntervalMs: 50,
    });
    relay.start();
    cleanups.push(() => relay.stop());
    await waitFor('the relayed message', () => seen.length === 1);
    expect(seen[0]!.value!.toString('utf8')).toBe(JSON.stringify(value));
  });

  it('keeps a row of a few kilobytes inline and uncompressed: it lives only until it is relayed', async () => {
    // About 3 KB of JSON, as a case event with its snapshot: above the 2 KB at which Postgres compresses by default.
    const value = {
      signals: Array.from({ length: 30 }, (_, i) => ({
        statusChangeId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
        kind: 'risk-assessment',
        occurredAt: new Date(Date.UTC(2026, 10, 1, 0, i)).toISOString(),
        facts: { score: i },
      })),
    };
    const json = JSON.stringify(value);
    expect(json.length).toBeGreaterThan(2500);
    const runner = dataSource.createQueryRunner();
    await runner.startTransaction();
    try {
      // Looked at before commit and rolled back, so no relay of another test sees it.
      await enqueueOutbox(runner.manager, schema, [{ topic: 'outbox.inline', key: 'k', value }]);
      const rows = (await runner.query(
        `SELECT pg_column_compression("value") AS "compression", octet_length("value"::text) AS "bytes"
           FROM "${schema}"."outbox" WHERE "topic" = 'outbox.inline'`,
      )) as { compression: string | null; bytes: number }[];
      expect(rows).toEqual([{ compression: null, bytes: json.length }]);
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
  });

  it('vacuums the outbox as it relays, so the next rows take the pages of the rows relayed before them', async () => {
    const [reused] = (await topics('outbox.reused')) as [string];
    const relay = new OutboxRelay({
      dataSource,
      schema,
      producer: await producer(),
      logger,
      vacuumEveryRows: 300,
    });
    // Autovacuum kept off the table for the test, so that only the relay's vacuum can make room.
    await dataSource.query(`ALTER TABLE "${schema}"."outbox" SET (autovacuum_enabled = false)`);
    cleanups.push(async () => {
      await dataSource.query(`ALTER TABLE "${schema}"."outbox" RESET (autovacuum_enabled)`);
    });
    const pages = async () => {
      const [size] = (await dataSource.query(
        `SELECT (pg_relation_size('"${schema}"."outbox"') / 8192)::int AS "pages"`,
      )) as { pages: number }[];
      return size!.pages;
    };
    const start = await pages();
    // Twelve runs of 400 rows of about 2.5 KB (three to a page: about 134 pages a run), each written and relayed.
    for (let run = 0; run < 12; run++) {
      await dataSource.transaction((manager) =>
        enqueueOutbox(
          manager,
          schema,
          Array.from({ length: 400 }, (_, i) => ({
            topic: reused,
            key: `case-${i}`,
            value: { run, i, pad: 'x'.repeat(2_500) },
          })),
        ),
      );
      while ((await relay.drainOnce()) > 0);
    }
    // Without the vacuum the table would grow by every run's pages (about 1,600); with it, each run takes the pages
    // of the runs before it. A vacuum can only make room for rows no open snapshot can still see, and a busy
    // server's other sessions in this database may hold one for a moment: a few runs' pages are allowed for that.
    expect((await pages()) - start).toBeLessThan(4 * 134);
  });

  it('sets aside a row the broker refuses and publishes the rows behind it, in order', async () => {
    const [small] = (await topics('outbox.small')) as [string];
    // A topic that refuses records over 2 KB: the broker answers MESSAGE_TOO_LARGE, which no retry can clear.
    const full = `${prefix}outbox.refusing`;
    await ensureTopics(kafka, [
      { topic: full, numPartitions: 1, configEntries: [{ name: 'max.message.bytes', value: '2048' }] },
    ]);
    topicsCreated.push(full);
    await dataSource.query(outboxDeadLetterTableSql(schema));
    await dataSource.transaction((manager) =>
      enqueueOutbox(manager, schema, [
        { topic: full, key: 'case-1', value: { n: 'r1' } },
        // Random, so that it is still over 2 KB once the producer has compressed its batch.
        { topic: full, key: 'case-1', value: { n: 'too-big', pad: randomBytes(8_000).toString('base64') } },
        { topic: full, key: 'case-1', value: { n: 'r2' } },
        { topic: small, key: 'case-2', value: { n: 's1' } },
      ]),
    );
    const seen = await collect(full);
    const seenSmall = await collect(small);
    const relay = new OutboxRelay({
      dataSource,
      schema,
      producer: await producer(),
      logger,
      pollIntervalMs: 50,
    });
    relay.start();
    cleanups.push(() => relay.stop());
    await waitFor('the outbox to be drained', async () => {
      const [row] = (await dataSource.query(`SELECT count(*)::int AS "n" FROM "${schema}"."outbox"`)) as {
        n: number;
      }[];
      return row?.n === 0;
    });
    await waitFor('the relayed messages', () => seen.length >= 2 && seenSmall.length >= 1);
    expect(seen.map((m) => json(m)['n'])).toEqual(['r1', 'r2']);
    expect(seenSmall.map((m) => json(m)['n'])).toEqual(['s1']);
    expect(await records(full)).toBe(2);
    const dead = (await dataSource.query(
      `SELECT "topic", "key", "value"->>'n' AS "n", "error" FROM "${schema}"."outbox_dead_letter"`,
    )) as { topic: string; key: string; n: string; error: string }[];
    expect(dead).toEqual([
      { topic: full, key: 'case-1', n: 'too-big', error: expect.stringMatching(/larger/i) },
    ]);
  });

  it('holds no transaction while the broker cannot take a send, stops within its timeout, and loses nothing', async () => {
    // A topic that does not exist yet (the broker creates none by itself): every send is retried, as in an outage.
    const later = `${prefix}outbox.later`;
    await dataSource.transaction((manager) =>
      enqueueOutbox(manager, schema, [
        { topic: later, key: 'case-1', value: { n: 'l1' } },
        { topic: later, key: 'case-1', value: { n: 'l2' } },
      ]),
    );
    const stuck = new EventProducer(kafka);
    await stuck.connect();
    const first = new OutboxRelay({
      dataSource,
      schema,
      producer: stuck,
      logger,
      pollIntervalMs: 50,
      stopTimeoutMs: 1_000,
    });
    first.start();
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    // While its send waits, the relay holds no transaction, and writers carry on.
    const inTransaction = (await dataSource.query(
      `SELECT count(*)::int AS "n" FROM pg_stat_activity
        WHERE datname = current_database() AND state LIKE 'idle in transaction%'`,
    )) as { n: number }[];
    expect(inTransaction[0]?.n).toBe(0);
    await dataSource.transaction((manager) =>
      enqueueOutbox(manager, schema, [{ topic: later, key: 'case-1', value: { n: 'l3' } }]),
    );
    const stopping = Date.now();
    await first.stop();
    expect(Date.now() - stopping).toBeLessThan(5_000);

    // The outage ends. The send the stopped relay gave up still goes through (its producer kept retrying it), and
    // the next relay publishes every row the outbox still holds: at least once, first copies in order.
    await topics('outbox.later');
    const seen = await collect(later);
    await waitFor('the given-up send to go through', async () => (await records(later)) >= 2);
    await stuck.stop();
    const second = new OutboxRelay({
      dataSource,
      schema,
      producer: await producer(),
      logger,
      pollIntervalMs: 50,
    });
    second.start();
    cleanups.push(() => second.stop());
    await waitFor('the rows to be published', async () => (await records(later)) >= 5 && seen.length >= 5);
    const values = seen.map((m) => String(json(m)['n']));
    expect(values).toEqual(['l1', 'l2', 'l1', 'l2', 'l3']);
    expect([...new Set(values)]).toEqual(['l1', 'l2', 'l3']);
  });
});
