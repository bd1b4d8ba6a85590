import { execFile } from 'node:child_process';
import path from 'node:path';
import { Kafka, type Consumer } from 'kafkajs';
import { startConnector, type RunningConnector } from '@mash/connectors';
import { DeadLetterHeaders, topics, type StatusChangeMessage } from '@mash/schema';
import { silentLogger, type AgencyDirectory, type SourceSystemRef } from '@mash/service-kit';
import { createTestDatabase, type TestDatabase } from '@test/support/database';
import { eventually } from '@test/support/gateway-client';
import { testBrokers, testKafkaConfig, uniquePrefix } from '@test/support/kafka';
import { testServiceConfig } from '@test/support/service-config';

const BIN = path.resolve(__dirname, '..', 'bin', 'mash-connect.js');
const DASH = 'uk.mash.police.dash-assessment.v1';
const partnershipId = '0b9f8a1e-2c1d-4f7a-9f51-1a2b3c4d5e01';

function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { env: { ...process.env, KAFKA_BROKERS: testBrokers().join(',') }, timeout: 60_000 },
      (error, stdout, stderr) =>
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr }),
    );
  });
}

/** The agencies subgraph's answers, in-process; `late-niche` is registered only once the test says so. */
const registered = new Map<string, SourceSystemRef>([
  [
    'tvp-niche',
    { id: 'ss-tvp', code: 'tvp-niche', family: 'police', agencyId: 'agency-police', partnershipId },
  ],
]);
const directory: AgencyDirectory = {
  async sourceSystem(code) {
    return registered.get(code) ?? null;
  },
  async policy() {
    throw new Error('the connector reads no policies');
  },
};

describe('an agency system connecting with mash-connect, through the real connector', () => {
  const prefix = uniquePrefix();
  const t = topics(prefix);
  const kafka = new Kafka(testKafkaConfig(`${prefix}test`));
  const changes: StatusChangeMessage[] = [];
  const deadLetters: { code: string | undefined; id: string }[] = [];
  let database: TestDatabase;
  let connector: RunningConnector;
  let reader: Consumer;

  beforeAll(async () => {
    database = await createTestDatabase();
    connector = await startConnector(testServiceConfig({ databaseUrl: database.url, topicPrefix: prefix }), {
      families: ['police'],
      logger: silentLogger(),
      directory,
      // Each source system has a topic of its own; both exist before the connector subscribes to its family's.
      sourceSystems: [
        { family: 'police', code: 'tvp-niche' },
        { family: 'police', code: 'late-niche' },
      ],
    });
    reader = kafka.consumer({ groupId: `${prefix}test-reader` });
    await reader.connect();
    await reader.subscribe({ topics: [t.statusChanges, t.deadLetter('police')], fromBeginning: true });
    await reader.run({
      eachMessage: async ({ topic, message }) => {
        const value = JSON.parse(message.value?.toString() ?? 'null') as Record<string, unknown>;
        if (topic === t.statusChanges) changes.push(value as unknown as StatusChangeMessage);
        else
          deadLetters.push({
            code: message.headers?.[DeadLetterHeaders.code]?.toString(),
            id: String(value['id']),
          });
      },
    });
  });

  afterAll(async () => {
    await reader?.disconnect();
    await connector?.stop();
    await database?.drop();
  });

  it('a sample sent by the tool is ingested; one from an unregistered system is dead-lettered, then redriven once registered', async () => {
    const sent = await cli('send', '--sample', DASH, '--id', 'cli-ok-1', '--topic-prefix', prefix, '--json');
    expect(sent.code).toBe(0);
    const late = await cli(
      'send',
      '--sample',
      DASH,
      '--source',
      'late-niche',
      '--id',
      'cli-late-1',
      '--topic-prefix',
      prefix,
    );
    expect(late.code).toBe(0);

    await eventually(async () => (changes.some((c) => c.eventId === 'cli-ok-1') ? true : undefined), {
      timeoutMs: 60_000,
      what: 'the status change of the sample',
    });
    await eventually(async () => (deadLetters.length >= 1 ? true : undefined), {
      timeoutMs: 30_000,
      what: 'the dead letter of the unregistered source',
    });
    expect(deadLetters).toEqual([{ code: 'EVENT_SOURCE_UNKNOWN', id: 'cli-late-1' }]);

    const dry = await cli(
      'redrive',
      '--source',
      'late-niche',
      '--dry-run',
      '--topic-prefix',
      prefix,
      '--json',
    );
    expect(dry.code).toBe(0);
    expect(JSON.parse(dry.stdout)).toEqual(
      expect.objectContaining({
        redriven: 0,
        records: [
          expect.objectContaining({
            id: 'cli-late-1',
            code: 'EVENT_SOURCE_UNKNOWN',
            target: t.agency('police', 'late-niche'),
          }),
        ],
      }),
    );

    registered.set('late-niche', {
      id: 'ss-late',
      code: 'late-niche',
      family: 'police',
      agencyId: 'agency-police',
      partnershipId,
    });
    const redrive = await cli('redrive', '--source', 'late-niche', '--topic-prefix', prefix, '--json');
    expect(redrive.code).toBe(0);
    expect(JSON.parse(redrive.stdout)).toEqual(expect.objectContaining({ redriven: 1 }));

    const ingested = await eventually(async () => changes.find((c) => c.eventId === 'cli-late-1'), {
      timeoutMs: 60_000,
      what: 'the status change of the redriven event',
    });
    expect(ingested).toEqual(
      expect.objectContaining({
        eventId: 'cli-late-1',
        family: 'police',
        source: 'urn:mash:source:late-niche',
      }),
    );
    expect(deadLetters).toHaveLength(1);
  });
});
