import path from 'node:path';
import { Kafka, Partitioners, logLevel } from 'kafkajs';
import { createLogger, signDevToken, type JwtConfig } from '@mash/service-kit';
import { Demo, topics } from '@mash/schema';
import { findRepoRoot } from './lib/compose';
import { thresholdDisagreementEvents } from './lib/demo-events';
import { startKafkaBroker } from './lib/kafka-broker';
import { startPlatform } from './lib/platform';
import { startEmbeddedPostgres } from './lib/postgres';

const DEV_SECRET = 'mash-graph-local-development-secret-do-not-use-in-production';

/** `npm start`: the whole platform with demo data on this machine. Ctrl-C stops everything cleanly. */
const stops: (() => Promise<void>)[] = [];

async function stopAll(): Promise<void> {
  for (const stop of stops.reverse()) await stop().catch(() => undefined);
  stops.length = 0;
}

async function main(): Promise<void> {
  const logger = createLogger('mash-graph', process.env['LOG_LEVEL'] ?? 'warn');
  const root = findRepoRoot(__dirname);

  let databaseUrl = process.env['DATABASE_URL'];
  if (!databaseUrl) {
    process.stdout.write('DATABASE_URL not set: starting an embedded PostgreSQL…\n');
    const pg = await startEmbeddedPostgres({ dataDir: path.join(root, '.data', 'postgres'), port: 54329 });
    stops.push(pg.stop);
    databaseUrl = pg.url;
  }

  let brokers = process.env['KAFKA_BROKERS']?.split(',').filter(Boolean);
  if (!brokers?.length) {
    process.stdout.write(
      'KAFKA_BROKERS not set: starting Apache Kafka (first run fetches its jars with Maven)…\n',
    );
    const kafka = await startKafkaBroker({
      port: 9092,
      controllerPort: 9093,
      dataDir: path.join(root, '.data', 'kafka-9092'),
    });
    stops.push(kafka.stop);
    brokers = kafka.brokers;
  }

  const jwt: JwtConfig = {
    JWT_ALGORITHM: 'HS256',
    JWT_SECRET: process.env['JWT_SECRET'] ?? DEV_SECRET,
    JWT_PUBLIC_KEY: undefined,
    JWT_ISSUER: process.env['JWT_ISSUER'] ?? 'mash-graph',
    JWT_AUDIENCE: process.env['JWT_AUDIENCE'] ?? 'mash-graph',
    SERVICE_TOKEN: undefined,
  };
  const topicPrefix = process.env['TOPIC_PREFIX'] ?? '';
  const platform = await startPlatform({
    databaseUrl,
    kafkaBrokers: brokers,
    jwt,
    logger,
    topicPrefix,
    seedDemo: true,
    ports: { gateway: 4000, agencies: 4001, contacts: 4002, cases: 4003, escalations: 4004 },
  });
  stops.push(platform.stop);

  await publishDemoEvents(brokers, topicPrefix);

  const token = signDevToken(
    jwt,
    {
      sub: Demo.contacts.mashOfficer,
      name: 'Demo MASH officer',
      roles: ['mash-officer'],
      partnership: Demo.partnershipId,
      agency: Demo.agencies.laChildren,
    },
    12 * 3600,
  );
  process.stdout.write(
    [
      '',
      'mash-graph is running with the MK Together demo partnership.',
      `gateway: ${platform.gatewayUrl}`,
      `token:   ${token}`,
      '         (a MASH officer of the demo partnership, valid 12 hours)',
      `subgraphs: ${Object.entries(platform.subgraphUrls)
        .map(([n, u]) => `${n} ${u}`)
        .join(', ')}`,
      'Ctrl-C stops everything.',
      '',
    ].join('\n'),
  );

  let stopping = false;
  const shutdown = async () => {
    if (stopping) process.exit(1);
    stopping = true;
    process.stdout.write('\nstopping…\n');
    await stopAll();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown());
  process.once('SIGTERM', () => void shutdown());
}

/** Publishes the demo story as the agencies' own systems would: CloudEvents on their family topics. */
async function publishDemoEvents(brokers: string[], prefix: string): Promise<void> {
  const kafka = new Kafka({ clientId: 'demo-agency-systems', brokers, logLevel: logLevel.NOTHING });
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  try {
    for (const e of thresholdDisagreementEvents()) {
      await producer.send({
        topic: topics(prefix).agency(e.family),
        messages: [{ key: e.key, value: JSON.stringify(e.event) }],
      });
    }
  } finally {
    await producer.disconnect();
  }
}

main().catch(async (err: unknown) => {
  process.stderr.write(`mash-graph failed to start: ${(err as Error).stack ?? String(err)}\n`);
  await stopAll();
  process.exit(1);
});
