import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CompressionTypes, Kafka, type Admin, type KafkaMessage } from 'kafkajs';
import { createTopicsAndWait, deadLetterHeaders } from '@mash/kafka';
import { topics, type AgencyFamily } from '@mash/schema';
import { testBrokers, testKafkaConfig, uniquePrefix } from '@test/support/kafka';

const BIN = path.resolve(__dirname, '..', 'bin', 'mash-connect.js');
const DASH = 'uk.mash.police.dash-assessment.v1';

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the built CLI as its own process, with the test broker in its environment. */
function cli(...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { env: { ...process.env, KAFKA_BROKERS: testBrokers().join(',') }, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

const json = <T>(run: Run): T => JSON.parse(run.stdout) as T;

function dashEvent(id: string, source: string, data: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    specversion: '1.0',
    id,
    source: `urn:mash:source:${source}`,
    type: DASH,
    time: '2026-11-20T10:30:00Z',
    datacontenttype: 'application/json',
    data: {
      subject: { system: 'police-person-id', value: 'NICHE-7730142' },
      score: 15,
      level: 'high',
      ...data,
    },
  };
}

const dir = mkdtempSync(path.join(tmpdir(), 'mash-connect-'));
function eventFile(name: string, event: unknown): string {
  const file = path.join(dir, name);
  writeFileSync(file, typeof event === 'string' ? event : JSON.stringify(event));
  return file;
}

const kafka = new Kafka(testKafkaConfig('cli-test'));
/** The demo source system of each family: events are sent to that system's own topic. */
const DEMO_SOURCE: Partial<Record<AgencyFamily, string>> = {
  police: 'tvp-niche',
  'la-children': 'mk-lcs',
  health: 'mkuh-systmone',
  education: 'mk-cpoms',
};
let admin: Admin;

beforeAll(async () => {
  if (!existsSync(path.resolve(__dirname, '..', 'dist', 'main.js'))) {
    throw new Error('the CLI is not built: run `npx tsc -b` first');
  }
  admin = kafka.admin();
  await admin.connect();
});
afterAll(async () => {
  await admin.disconnect();
});

async function createTopics(prefix: string, families: readonly AgencyFamily[]): Promise<void> {
  const names = topics(prefix);
  await createTopicsAndWait(
    admin,
    families
      .flatMap((f) => [names.agency(f, DEMO_SOURCE[f] ?? 'unknown'), names.deadLetter(f)])
      .map((topic) => ({ topic, numPartitions: 2 })),
  );
}

/** Every record now in the topic, read from the beginning. */
async function readAll(topic: string): Promise<KafkaMessage[]> {
  const offsets = await admin.fetchTopicOffsets(topic);
  const total = offsets.reduce((n, p) => n + Number(p.high) - Number(p.low), 0);
  if (total === 0) return [];
  const consumer = kafka.consumer({ groupId: `${topic}.reader.${Math.random()}` });
  const messages: KafkaMessage[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await new Promise<void>((resolve) => {
    void consumer.run({
      eachMessage: async ({ message }) => {
        messages.push(message);
        if (messages.length >= total) resolve();
      },
    });
  });
  await consumer.disconnect();
  return messages;
}

describe('mash-connect validate', () => {
  it('accepts a valid event and names its topic and key, exit 0', async () => {
    const run = await cli('validate', eventFile('good.json', dashEvent('e-1', 'tvp-niche')), '--json');
    expect(run.code).toBe(0);
    expect(json(run)).toEqual(
      expect.objectContaining({
        ok: true,
        type: DASH,
        topic: 'mash.agency.police.tvp-niche.v1',
        key: 'NICHE-7730142',
      }),
    );
  });

  it('gives the code and reason the connector would dead-letter with, exit 1', async () => {
    const run = await cli('validate', eventFile('bad.json', dashEvent('e-2', 'tvp-niche', { score: 99 })));
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('EVENT_DATA_INVALID');
    expect(run.stdout).toContain('/data/score: must be <= 27');

    const asJson = await cli(
      'validate',
      eventFile('bad.json', dashEvent('e-2', 'tvp-niche', { score: 99 })),
      '--json',
    );
    expect(asJson.code).toBe(1);
    expect(json(asJson)).toEqual(
      expect.objectContaining({
        ok: false,
        code: 'EVENT_DATA_INVALID',
        reason: '/data/score: must be <= 27',
      }),
    );
  });

  it('says EVENT_NOT_JSON for a file that is not JSON', async () => {
    const run = await cli('validate', eventFile('not.json', '{"specversion":'), '--json');
    expect(run.code).toBe(1);
    expect(json<{ code: string }>(run).code).toBe('EVENT_NOT_JSON');
  });

  it('exits 2 on a wrong command line', async () => {
    expect((await cli('validate')).code).toBe(2);
    expect((await cli('validate', path.join(dir, 'missing.json'))).code).toBe(2);
    expect((await cli('frobnicate')).code).toBe(2);
    expect((await cli('send', '--sample', 'uk.mash.police.nothing.v1')).code).toBe(2);
  });
});

describe('mash-connect types', () => {
  it('lists every published type with its topic, schema id and example, as JSON', async () => {
    const run = await cli('types', '--json');
    expect(run.code).toBe(0);
    const { types } = json<{
      types: { type: string; topic: string; schemaId: string; examples: unknown[] }[];
    }>(run);
    const dash = types.find((t) => t.type === DASH);
    expect(dash).toEqual(
      expect.objectContaining({
        topic: 'mash.agency.police.{sourceSystem}.v1',
        schemaId: `urn:mash:schema:${DASH}`,
      }),
    );
    expect(dash?.examples.length).toBeGreaterThan(0);
    expect(types.map((t) => t.type)).toEqual(
      expect.arrayContaining(['uk.mash.health.appointment-not-attended.v1']),
    );
  });
});

describe('mash-connect send', () => {
  it("publishes a file's bytes to the family topic keyed by the subject identifier", async () => {
    const prefix = uniquePrefix();
    await createTopics(prefix, ['police']);
    const file = eventFile('send.json', dashEvent('send-1', 'tvp-niche'));
    const run = await cli('send', file, '--topic-prefix', prefix, '--json');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(json(run)).toEqual(
      expect.objectContaining({
        sent: true,
        topic: `${prefix}mash.agency.police.tvp-niche.v1`,
        key: 'NICHE-7730142',
      }),
    );

    const [record, ...more] = await readAll(`${prefix}mash.agency.police.tvp-niche.v1`);
    expect(more).toHaveLength(0);
    expect(record?.key?.toString()).toBe('NICHE-7730142');
    expect(JSON.parse(record?.value?.toString() ?? 'null')).toEqual(dashEvent('send-1', 'tvp-niche'));
  });

  it("sends a type's sample from the family's demo source", async () => {
    const prefix = uniquePrefix();
    await createTopics(prefix, ['health']);
    const type = 'uk.mash.health.appointment-not-attended.v1';
    const run = await cli('send', '--sample', type, '--id', 'sample-1', '--topic-prefix', prefix, '--json');
    expect(run.code).toBe(0);

    const [record] = await readAll(`${prefix}mash.agency.health.mkuh-systmone.v1`);
    expect(record?.key?.toString()).toBe('9434765919');
    expect(JSON.parse(record?.value?.toString() ?? 'null')).toEqual(
      expect.objectContaining({ id: 'sample-1', type, source: 'urn:mash:source:mkuh-systmone' }),
    );
  });

  it('sends nothing when the event is invalid, exit 1', async () => {
    const prefix = uniquePrefix();
    await createTopics(prefix, ['police']);
    const file = eventFile('bad-send.json', dashEvent('bad-1', 'tvp-niche', { level: 'severe' }));
    const run = await cli('send', file, '--topic-prefix', prefix, '--json');
    expect(run.code).toBe(1);
    expect(json(run)).toEqual(
      expect.objectContaining({
        sent: false,
        code: 'EVENT_DATA_INVALID',
        reason: '/data/level: must be one of "standard", "medium", "high"',
      }),
    );
    expect(await readAll(`${prefix}mash.agency.police.tvp-niche.v1`)).toHaveLength(0);
  });

  it('exits 1 when the broker cannot be reached', async () => {
    const run = await cli('send', '--sample', DASH, '--brokers', '127.0.0.1:1', '--json');
    expect(run.code).toBe(1);
    expect(json<{ ok: boolean }>(run).ok).toBe(false);
  });
});

describe('mash-connect redrive', () => {
  /**
   * Dead-letters an event as the connector does: original key and bytes, the reason and origin in headers, in a
   * Snappy batch (the connector's producer compresses), which the CLI, a process of its own, must read.
   */
  async function deadLetter(prefix: string, event: unknown, offset: number, code = 'EVENT_SOURCE_UNKNOWN') {
    const names = topics(prefix);
    const value = Buffer.from(typeof event === 'string' ? event : JSON.stringify(event));
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({
      topic: names.deadLetter('police'),
      compression: CompressionTypes.Snappy,
      messages: [
        {
          key: 'NICHE-7730142',
          value,
          headers: deadLetterHeaders(
            {
              topic: names.agency('police', 'tvp-niche'),
              partition: 0,
              offset: String(offset),
              key: 'NICHE-7730142',
              value,
              headers: { traceparent: '00-abc-def-01' },
              timestamp: '0',
            },
            code,
            'source system "tvp-niche" is not registered',
            '2026-11-20T10:31:00Z',
          ),
        },
      ],
    });
    await producer.disconnect();
  }

  it('reports on --dry-run what it would re-publish and publishes nothing, then re-publishes for real', async () => {
    const prefix = uniquePrefix();
    await createTopics(prefix, ['police']);
    const mine = [
      dashEvent('r-1', 'tvp-niche'),
      dashEvent('r-2', 'tvp-niche', { score: 3, level: 'standard' }),
    ];
    await deadLetter(prefix, mine[0], 10);
    await deadLetter(prefix, dashEvent('other-1', 'other-system'), 11);
    await deadLetter(prefix, 'not json at all', 12, 'EVENT_NOT_JSON');
    await deadLetter(prefix, mine[1], 13);

    const dry = await cli(
      'redrive',
      '--source',
      'tvp-niche',
      '--dry-run',
      '--topic-prefix',
      prefix,
      '--json',
    );
    expect(dry.stderr).toBe('');
    expect(dry.code).toBe(0);
    const report = json<{
      scanned: number;
      unreadable: number;
      redriven: number;
      records: { id: string; code: string; target: string }[];
    }>(dry);
    expect(report).toEqual(expect.objectContaining({ scanned: 4, unreadable: 1, redriven: 0 }));
    expect(report.records.map((r) => [r.id, r.code, r.target])).toEqual([
      ['r-1', 'EVENT_SOURCE_UNKNOWN', `${prefix}mash.agency.police.tvp-niche.v1`],
      ['r-2', 'EVENT_SOURCE_UNKNOWN', `${prefix}mash.agency.police.tvp-niche.v1`],
    ]);
    expect(await readAll(`${prefix}mash.agency.police.tvp-niche.v1`)).toHaveLength(0);

    const real = await cli(
      'redrive',
      '--source',
      'urn:mash:source:tvp-niche',
      '--topic-prefix',
      prefix,
      '--json',
    );
    expect(real.code).toBe(0);
    expect(json<{ redriven: number }>(real).redriven).toBe(2);
    const redriven = await readAll(`${prefix}mash.agency.police.tvp-niche.v1`);
    expect(redriven.map((m) => JSON.parse(m.value?.toString() ?? 'null'))).toEqual(mine);
    for (const m of redriven) {
      expect(m.key?.toString()).toBe('NICHE-7730142');
      expect(m.headers?.['traceparent']?.toString()).toBe('00-abc-def-01');
      expect(m.headers?.['mash-dlq-code']).toBeUndefined();
      expect(m.headers?.['mash-redriven-from']?.toString()).toMatch(
        new RegExp(`^${prefix}mash\\.dlq\\.police\\.v1/`),
      );
    }
  });
});
