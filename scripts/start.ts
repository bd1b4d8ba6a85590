import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Kafka, Partitioners, logLevel, type Producer } from 'kafkajs';
import { kafkaSecurity, PLATFORM_SERVICES } from '@mash/kafka';
import { ConfigError, createLogger, signDevToken, type KafkaAuth } from '@mash/service-kit';
import { Demo, topics } from '@mash/schema';
import { findRepoRoot } from './lib/compose';
import { DEMO_STORY_LINES, demoStories, type AgencyEvent } from './lib/demo-events';
import { DEMO_SOURCE_SYSTEMS, sourceCodeOf } from './lib/demo-source-systems';
import { startKafkaBroker } from './lib/kafka-broker';
import { startPlatform, type PlatformKafkaPrincipals } from './lib/platform';
import { startEmbeddedPostgres } from './lib/postgres';
import { loadStartConfig } from './lib/start-config';

/**
 * `npm start`: the whole platform with demo data on this machine. Ctrl-C, or SIGINT/SIGTERM sent to npm's process
 * (passed on here by build-and-start.js), stops everything cleanly.
 */
const stops: (() => Promise<void>)[] = [];
let stopping: Promise<void> | undefined;
/** Set by the first SIGINT/SIGTERM; start-up checks it between steps and starts nothing more. */
let stopRequested = false;

function stopAll(): Promise<void> {
  stopping ??= (async () => {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    stops.length = 0;
  })();
  return stopping;
}

async function main(): Promise<void> {
  // kafkajs's notice about its v2 default partitioner: every producer here chooses one explicitly.
  process.env['KAFKAJS_NO_PARTITIONER_WARNING'] ??= '1';
  const config = loadStartConfig();
  const logger = createLogger('mash-graph', config.logLevel);
  const root = findRepoRoot(__dirname);

  let databaseUrl = config.databaseUrl;
  if (!databaseUrl) {
    process.stdout.write('DATABASE_URL not set: starting an embedded PostgreSQL…\n');
    const pg = await startEmbeddedPostgres({ dataDir: path.join(root, '.data', 'postgres'), port: 54329 });
    stops.push(pg.stop);
    databaseUrl = pg.url;
  }
  if (stopRequested) return;

  const { topicPrefix } = config;
  let brokers = [...config.kafkaBrokers];
  // A broker given in KAFKA_BROKERS: its platform principal from KAFKA_USERNAME/KAFKA_PASSWORD (when it needs one),
  // which also publishes the demo events. The broker started here: a principal per platform service (granted its
  // ACLs by the admin when the platform starts) and per demo source system.
  const kafkaAuth: KafkaAuth | undefined = config.kafkaAuth;
  let kafkaPrincipals: PlatformKafkaPrincipals | undefined;
  let sourceSystemAuth: Record<string, KafkaAuth> = {};
  if (!brokers.length) {
    process.stdout.write(
      'KAFKA_BROKERS not set: starting Apache Kafka (first run fetches its jars with Maven)…\n',
    );
    const kafka = await startKafkaBroker({
      port: 9092,
      controllerPort: 9093,
      dataDir: path.join(root, '.data', 'kafka-9092'),
      principals: DEMO_SOURCE_SYSTEMS.map((s) => s.principal),
    });
    stops.push(kafka.stop);
    brokers = kafka.brokers;
    kafkaPrincipals = { admin: kafka.principals.admin, services: kafka.principals.services };
    sourceSystemAuth = { ...kafka.principals.others };
  }
  if (stopRequested) return;

  const { jwt } = config;
  const platform = await startPlatform({
    databaseUrl,
    kafkaBrokers: brokers,
    ...(kafkaAuth && { kafkaAuth }),
    ...(kafkaPrincipals && { kafkaPrincipals }),
    jwt,
    logger,
    topicPrefix,
    seedDemo: true,
    // The demo is for exploring the graph: introspection on (it is off unless configured).
    gatewayLimits: { introspection: true },
    ports: { gateway: 4000, agencies: 4001, contacts: 4002, cases: 4003, escalations: 4004, connector: 4005 },
  });
  stops.push(platform.stop);
  if (stopRequested) return;

  const storiesAt = demoEventsTime(root);
  await publishDemoEvents(
    brokers,
    topicPrefix,
    demoStories(storiesAt, storySuffix(storiesAt)),
    sourceSystemAuth,
    kafkaAuth,
  );
  if (stopRequested) return;

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
  // The people of README.md's escalation walk-through, each with a token of their own.
  const people = DEMO_PEOPLE.map(
    ({ name, sub, roles, agency }) =>
      `  ${name}=${signDevToken(jwt, { sub, roles, partnership: Demo.partnershipId, agency }, 12 * 3600)}`,
  );
  process.stdout.write(
    [
      '',
      'mash-graph is running with two demo partnerships: MK Together and Lincolnshire (other timescales).',
      'Demo stories published in MK Together, one open escalation per automatic ground within seconds:',
      ...DEMO_STORY_LINES.map((line) => `  ${line}`),
      `gateway: ${platform.gatewayUrl}`,
      `board:   ${new URL('/board', platform.gatewayUrl).toString()}   (sign in with the token below)`,
      `token:   ${token}`,
      '         (a MASH officer of the demo partnership, valid 12 hours)',
      'people:  (tokens of MK Together people, valid 12 hours, for the escalation walk-through in README.md)',
      ...people,
      `subgraphs: ${Object.entries(platform.subgraphUrls)
        .map(([n, u]) => `${n} ${u}`)
        .join(', ')}`,
      ...kafkaCredentialLines(brokers, kafkaPrincipals, sourceSystemAuth, kafkaAuth),
      'Ctrl-C stops everything.',
      '',
    ].join('\n'),
  );
}

/** The demo people whose tokens the banner prints (README.md, "One escalation's life"). */
const DEMO_PEOPLE = [
  {
    name: 'POLICE_PRACTITIONER',
    sub: Demo.contacts.policePractitioner,
    roles: ['practitioner'],
    agency: Demo.agencies.police,
  },
  {
    name: 'LA_PRACTITIONER',
    sub: Demo.contacts.laChildrenPractitioner,
    roles: ['practitioner'],
    agency: Demo.agencies.laChildren,
  },
  {
    name: 'POLICE_LINE_MANAGER',
    sub: Demo.contacts.policeLineManager,
    roles: ['line-manager'],
    agency: Demo.agencies.police,
  },
  {
    name: 'LA_LINE_MANAGER',
    sub: Demo.contacts.laChildrenLineManager,
    roles: ['line-manager'],
    agency: Demo.agencies.laChildren,
  },
  {
    name: 'CHAIR',
    sub: Demo.contacts.partnershipChair,
    roles: ['partnership-chair'],
    agency: Demo.agencies.partnership,
  },
] as const;

let firstSignalAt: number | undefined;
let starting: Promise<void> = Promise.resolve();

/**
 * The first SIGINT/SIGTERM stops everything: a start-up step under way finishes, nothing more starts, and what has
 * started stops in reverse order. Ctrl-C in a terminal arrives twice (npm and build-and-start.js both get it from
 * the terminal, and npm passes its copy on), so a repeat within a second is the same request; a later one stops at
 * once without cleaning up.
 */
function onSignal(): void {
  const now = Date.now();
  if (firstSignalAt === undefined) {
    firstSignalAt = now;
    stopRequested = true;
    process.stdout.write('\nstopping…\n');
    void starting
      .catch(() => undefined)
      .then(stopAll)
      .then(() => process.exit(0));
    return;
  }
  if (now - firstSignalAt < 1000) return;
  process.stderr.write('stopping at once, without cleaning up\n');
  process.exit(1);
}

process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

/** How long the demo stories' time is kept: older, the stories are dated afresh (under new event ids). */
const KEEP_STORIES_DAYS = 7;

/**
 * The time the demo stories are dated from: the first run's, kept in `.data/demo-events-time`, so that a run soon
 * after sends the very same events again (the connector stores them once and changes nothing) rather than new
 * bodies under the same event ids, which the connector would rightly warn about. A time older than a week is
 * replaced by now: stories dated from it would have left the 28-day windows of disengagement and increasing risk.
 * The event ids carry the time's date (`storySuffix`), so fresh stories never reuse an old id; on a database kept
 * from the earlier run their evidence joins the escalations still open.
 */
function demoEventsTime(root: string): Date {
  const file = path.join(root, '.data', 'demo-events-time');
  const now = new Date();
  try {
    const kept = new Date(readFileSync(file, 'utf8').trim());
    const age = now.getTime() - kept.getTime();
    if (!Number.isNaN(age) && age >= 0 && age < KEEP_STORIES_DAYS * 24 * 3600 * 1000) return kept;
  } catch {
    // first run
  }
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${now.toISOString()}\n`);
  return now;
}

/** The stories' event id suffix: `demo-` and the date their time falls on (`demo-20261130`). */
function storySuffix(at: Date): string {
  return `demo-${at.toISOString().slice(0, 10).replace(/-/g, '')}`;
}

/** What the start command prints about Kafka: where, and the principals' credentials (generated, like the token). */
function kafkaCredentialLines(
  brokers: string[],
  principals: PlatformKafkaPrincipals | undefined,
  sourceSystems: Record<string, KafkaAuth>,
  given: KafkaAuth | undefined,
): string[] {
  if (!principals) {
    return [`kafka:     ${brokers.join(',')}${given ? ` (as ${given.username})` : ''}`];
  }
  return [
    `kafka:     ${brokers.join(',')} (SASL/SCRAM-SHA-512; credentials kept in .data/kafka-9092/credentials.json)`,
    `           admin (topics, ACLs): ${principals.admin.username} / ${principals.admin.password}`,
    ...PLATFORM_SERVICES.map(
      (service) =>
        `           ${service} service: ${principals.services[service].username} / ${principals.services[service].password}`,
    ),
    ...DEMO_SOURCE_SYSTEMS.filter((s) => sourceSystems[s.principal]).map(
      (s) =>
        `           ${s.family} source system: ${s.principal} / ${sourceSystems[s.principal]!.password}` +
        ` (writes ${topics(process.env['TOPIC_PREFIX'] ?? '').agency(s.family, s.principal)} only)`,
    ),
  ];
}

/**
 * Publishes the demo stories as the agencies' own systems would: CloudEvents on their source systems' topics, each
 * with its source system's own credentials (or the given platform principal's, on a broker started elsewhere), in
 * order, one producer per source system.
 */
async function publishDemoEvents(
  brokers: string[],
  prefix: string,
  events: readonly AgencyEvent[],
  sourceSystems: Record<string, KafkaAuth>,
  fallback: KafkaAuth | undefined,
): Promise<void> {
  const producers = new Map<string, Producer>();
  try {
    for (const e of events) {
      const code = sourceCodeOf(e.event.source);
      let producer = producers.get(code);
      if (!producer) {
        const kafka = new Kafka({
          clientId: `demo-${code}`,
          brokers,
          logLevel: logLevel.NOTHING,
          ...kafkaSecurity(sourceSystems[code] ?? fallback),
        });
        producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
        producers.set(code, producer);
        await producer.connect();
      }
      await producer.send({
        topic: topics(prefix).agency(e.family, code),
        messages: [{ key: e.key, value: JSON.stringify(e.event) }],
      });
    }
  } finally {
    for (const producer of producers.values()) await producer.disconnect().catch(() => undefined);
  }
}

starting = main();
starting.catch(async (err: unknown) => {
  // A bad variable is the user's to fix: its list, without a stack trace.
  const why = err instanceof ConfigError ? err.message : ((err as Error).stack ?? String(err));
  process.stderr.write(`mash-graph failed to start: ${why}\n`);
  await stopAll();
  process.exit(1);
});
