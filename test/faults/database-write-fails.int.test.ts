import { randomUUID } from 'node:crypto';
import { Kafka, Partitioners, type Producer } from 'kafkajs';
import { DataSource } from 'typeorm';
import { startCasesService, type RunningCasesService } from '@mash/cases';
import { createLogger } from '@mash/service-kit';
import { Demo, topics, type StatusChangeMessage } from '@mash/schema';
import { createTestDatabase, type TestDatabase } from '@test/support/database';
import { eventually } from '@test/support/gateway-client';
import { testBrokers, testKafkaConfig, uniquePrefix } from '@test/support/kafka';
import { testServiceConfig } from '@test/support/service-config';

// A database write that fails while a status change is consumed is logged so an operator can act on it (which
// table, which constraint, SQLSTATE), and no value of the person it was about reaches the log: not the
// identifier, not the name, not what the agency reported.

const IDENTIFIER = `NICHE-${randomUUID().slice(0, 8).toUpperCase()}`;
const INCIDENT = `TVP-INC-${randomUUID().slice(0, 6)}`;

describe('a database write that fails during consumption', () => {
  const prefix = uniquePrefix();
  const lines: string[] = [];
  let db: TestDatabase;
  let cases: RunningCasesService;
  let producer: Producer;
  let admin: DataSource;

  beforeAll(async () => {
    db = await createTestDatabase();
    cases = await startCasesService(
      testServiceConfig({ databaseUrl: db.url, kafkaBrokers: testBrokers(), topicPrefix: prefix }),
      {
        logger: createLogger('cases', {
          level: 'debug',
          destination: { write: (l: string) => void lines.push(l) },
        }),
        seedDemo: true,
      },
    );
    admin = new DataSource({ type: 'postgres', url: db.url });
    await admin.initialize();
    // Every new row of the unmatched store now fails, and Postgres puts the whole row in the error's detail.
    await admin.query(
      `ALTER TABLE "cases"."unmatched_status_change" ADD CONSTRAINT "refuse_all" CHECK (false) NOT VALID`,
    );
    const kafka = new Kafka(testKafkaConfig('fault-test'));
    producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
  });

  afterAll(async () => {
    await admin?.query(
      `ALTER TABLE "cases"."unmatched_status_change" DROP CONSTRAINT IF EXISTS "refuse_all"`,
    );
    await producer?.disconnect();
    await cases?.stop();
    await admin?.destroy();
    await db?.drop();
  });

  it('logs the failure with its table and constraint, and no identifier value', async () => {
    const now = new Date().toISOString();
    const message: StatusChangeMessage = {
      id: randomUUID(),
      eventId: `niche-${randomUUID()}`,
      source: `urn:mash:source:${Demo.sourceSystems.police.code}`,
      type: 'uk.mash.police.protection-notice.v1',
      family: 'police',
      partnershipId: Demo.partnershipId,
      agencyId: Demo.agencies.police,
      sourceSystemId: Demo.sourceSystems.police.id,
      subject: { system: 'police-person-id', value: IDENTIFIER },
      kind: 'protection-notice',
      facts: { riskLevel: 'high', reference: INCIDENT },
      summary: 'Protection notice submitted (red), children present',
      occurredAt: now,
      receivedAt: now,
    };
    await producer.send({
      topic: topics(prefix).statusChanges,
      messages: [
        {
          key: `${message.partnershipId}:${message.subject.system}:${IDENTIFIER}`,
          value: JSON.stringify(message),
        },
      ],
    });

    const failure = await eventually(
      async () =>
        lines
          .map((l) => JSON.parse(l) as { level: number; err?: { sqlState?: string; constraint?: string } })
          .find((r) => r.level >= 50 && r.err?.sqlState === '23514'),
      { what: 'the failed write to be logged', timeoutMs: 60_000 },
    );
    expect(failure.err).toMatchObject({ sqlState: '23514', constraint: 'refuse_all' });

    const text = lines.join('\n');
    expect(text).not.toContain(IDENTIFIER);
    expect(text).not.toContain(INCIDENT);
    expect(text).not.toContain('Failing row');
  });
});
