import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { kafkaSecurity } from '@mash/kafka';
import { Kafka, Partitioners, logLevel, type Admin, type KafkaMessage } from 'kafkajs';
import { Pool } from 'pg';
import { createLogger } from '@mash/service-kit';
import { connectorGroupId, EventValidator } from '@mash/connectors';
import { Demo, topics, type CloudEvent } from '@mash/schema';
import {
  type BenchPlatform,
  type BenchStop,
  type DeployableKind,
  benchInfra,
  benchJwt,
  benchMashOfficerToken,
  startBenchPlatform,
  startBenchPlatformProcesses,
} from './infra';
import { graphql } from './seed';

/**
 * `npm run bench:ingest`: N agency events (a realistic mix over registered and unknown subjects, with
 * disagreements that raise escalations) published to the agency topics of a running platform, timed until every
 * consumer group has no lag and the row counts are final; then, in the same run and on the same records, a raw
 * kafkajs consume and a parse + ajv validate + one batched INSERT per fetched batch baseline.
 */

const HELP = `npm run bench:ingest -- [options]

  --events N     agency events to publish (default 20000)
  --per-subject N events per subject (default 10): subjects = events / per-subject, 95% registered
  --timeout S    give up after S seconds waiting for the pipeline (default 900)
  --one-process  run every deployable in this process (the default is one process each, as deployed)
  --profile LIST deployables to run with --cpu-prof (comma-separated, e.g. connector,cases; profiles in
                 .data/profiles); needs one process each
  --help         this text

Environment: DATABASE_URL (else a throwaway database on 127.0.0.1:5432, else an embedded PostgreSQL),
KAFKA_BROKERS (else a broker is started), LOG_LEVEL (default warn).`;

const DAY = 24 * 60 * 60 * 1000;

function positiveInt(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0)
    throw new Error(`--${name} must be a positive whole number, not "${value}"`);
  return n;
}

function options() {
  const { values } = parseArgs({
    options: {
      events: { type: 'string' },
      'per-subject': { type: 'string' },
      timeout: { type: 'string' },
      'one-process': { type: 'boolean' },
      profile: { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  return {
    help: values.help ?? false,
    events: positiveInt('events', values.events, 20_000),
    perSubject: positiveInt('per-subject', values['per-subject'], 10),
    timeoutSeconds: positiveInt('timeout', values.timeout, 900),
    oneProcess: values['one-process'] ?? false,
    profile: (values.profile ?? '').split(',').filter(Boolean) as DeployableKind[],
  };
}

interface Published {
  readonly topic: string;
  readonly key: string;
  readonly value: string;
}

interface Subject {
  readonly laPersonId: string;
  readonly policePersonId: string;
  readonly registered: boolean;
  /** Children's services close with no further action, then police judge the child protection threshold met. */
  readonly disagreement: boolean;
}

function subjectsFor(runId: string, count: number): Subject[] {
  const run = runId.toUpperCase();
  return Array.from({ length: count }, (_, i) => {
    const n = String(i).padStart(5, '0');
    return {
      laPersonId: `LCS-I${run}-${n}`,
      policePersonId: `NICHE-I${run}-${n}`,
      // One in twenty unknown to the partnership (kept for a person to link).
      registered: i % 20 !== 19,
      // One registered subject in ten has the disagreement story.
      disagreement: i % 10 === 0,
    };
  });
}

/** Subject `s`'s k-th event: the first two tell its story, the rest are routine updates that keep it. */
function eventFor(
  runId: string,
  s: Subject,
  i: number,
  k: number,
  now: number,
): { family: string; e: CloudEvent } {
  const at = new Date(now - 20 * DAY + k * 60_000 + i).toISOString();
  const la = `urn:mash:source:${Demo.sourceSystems.laChildren.code}`;
  const police = `urn:mash:source:${Demo.sourceSystems.police.code}`;
  const id = `bench-${runId}-${i}-${k}`;
  if (k % 3 === 0) {
    return {
      family: 'la-children',
      e: {
        specversion: '1.0',
        id: `lcs-${id}`,
        source: la,
        type: 'uk.mash.la-children.referral-outcome.v1',
        time: at,
        datacontenttype: 'application/json',
        data: {
          subject: { system: 'la-person-id', value: s.laPersonId },
          referralRef: `REF-I${i}-${k}`,
          outcome: s.disagreement ? 'no-further-action' : 'early-help',
          decidedAt: at,
        },
      },
    };
  }
  if (k % 3 === 1) {
    return {
      family: 'police',
      e: {
        specversion: '1.0',
        id: `niche-${id}`,
        source: police,
        type: 'uk.mash.police.strategy-discussion-view.v1',
        time: at,
        datacontenttype: 'application/json',
        data: {
          subject: { system: 'police-person-id', value: s.policePersonId },
          threshold: s.disagreement ? 'child-protection' : 'early-help',
          discussionAt: at,
          incidentRef: `TVP-INC-I${i}-${k}`,
        },
      },
    };
  }
  return {
    family: 'police',
    e: {
      specversion: '1.0',
      id: `niche-${id}`,
      source: police,
      type: 'uk.mash.police.dash-assessment.v1',
      time: at,
      datacontenttype: 'application/json',
      data: {
        subject: { system: 'police-person-id', value: s.policePersonId },
        score: (i + k) % 28,
        level: 'standard',
        incidentRef: `TVP-DASH-I${i}-${k}`,
      },
    },
  };
}

async function topicHigh(admin: Admin, topic: string): Promise<Map<number, number>> {
  const offsets = await admin.fetchTopicOffsets(topic);
  return new Map(offsets.map((o) => [o.partition, Number(o.high)]));
}

/** Records of `topics` the group has not committed yet (a partition it never committed counts in full). */
async function groupLag(admin: Admin, groupId: string, names: readonly string[]): Promise<number> {
  const committed = await admin.fetchOffsets({ groupId, topics: [...names] });
  let lag = 0;
  for (const t of committed) {
    const high = await topicHigh(admin, t.topic);
    for (const [partition, h] of high) {
      const c = Number(t.partitions.find((p) => p.partition === partition)?.offset ?? -1);
      lag += h - Math.max(c, 0);
    }
  }
  return lag;
}

async function count(pool: Pool, sql: string): Promise<number> {
  const { rows } = await pool.query<{ n: number }>(sql);
  return rows[0]?.n ?? 0;
}

/**
 * Each consumer group's handled runs and their mean size, from the deployables' Prometheus `/metrics` (the
 * `mash_consumer_batch_size` histogram): how well a stage batched.
 */
async function batchSizes(platform: BenchPlatform): Promise<{ group: string; runs: number; mean: number }[]> {
  const found = new Map<string, { sum: number; count: number }>();
  for (const url of Object.values(platform.subgraphUrls)) {
    const text = await fetch(new URL('/metrics', url))
      .then((r) => (r.ok ? r.text() : ''))
      .catch(() => '');
    for (const line of text.split('\n')) {
      const m = /^mash_consumer_batch_size_(sum|count)\{[^}]*group="([^"]+)"[^}]*\} (\S+)$/.exec(line);
      if (!m) continue;
      const entry = found.get(m[2]!) ?? { sum: 0, count: 0 };
      entry[m[1] as 'sum' | 'count'] += Number(m[3]);
      found.set(m[2]!, entry);
    }
  }
  return [...found]
    .filter(([, e]) => e.count > 0)
    .map(([group, e]) => ({ group, runs: e.count, mean: e.sum / e.count }));
}

/** CPU seconds (user + system) a process has used so far, from /proc (Linux); NaN elsewhere. */
function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after the command name, in clock ticks (100/s).
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return NaN;
  }
}

/** Each deployable's CPU seconds so far, and this process's (the publisher). */
function cpuSnapshot(platform: BenchPlatform): Map<string, number> {
  const snapshot = new Map<string, number>();
  for (const [kind, pid] of Object.entries(platform.pids ?? {})) snapshot.set(kind, cpuSeconds(pid));
  snapshot.set('bench (publisher)', cpuSeconds(process.pid));
  return snapshot;
}

const stops: BenchStop[] = [];

async function stopAll(): Promise<void> {
  for (const { what, stop } of stops.reverse()) {
    await stop().catch((err: unknown) => process.stderr.write(`stopping ${what} failed: ${String(err)}\n`));
  }
  stops.length = 0;
}

const rate = (n: number, ms: number) => (ms > 0 ? (n * 1000) / ms : NaN);
const fmt = (r: number) => Math.round(r).toLocaleString('en-GB');

/**
 * Reads every record of `names` from the beginning with a fresh group, handing each fetched batch to `handle`;
 * resolves with the elapsed ms once `total` records have been handled.
 */
async function timedConsume(
  kafka: Kafka,
  group: string,
  names: readonly string[],
  total: number,
  handle: (messages: readonly KafkaMessage[]) => Promise<void>,
): Promise<number> {
  const consumer = kafka.consumer({
    groupId: `${group}-${randomBytes(4).toString('hex')}`,
    maxWaitTimeInMs: 100,
  });
  await consumer.connect();
  await consumer.subscribe({ topics: [...names], fromBeginning: true });
  let seen = 0;
  const started = Date.now();
  let finish: (ms: number) => void = () => undefined;
  const done = new Promise<number>((resolve) => (finish = resolve));
  await consumer.run({
    partitionsConsumedConcurrently: 6,
    eachBatch: async ({ batch }) => {
      await handle(batch.messages);
      seen += batch.messages.length;
      if (seen >= total) finish(Date.now() - started);
    },
  });
  const ms = await done;
  await consumer.disconnect();
  return ms;
}

/** The raw baseline: every record read, nothing done with it. */
function rawConsume(kafka: Kafka, names: readonly string[], total: number): Promise<number> {
  return timedConsume(kafka, 'bench-raw', names, total, async () => undefined);
}

/** Parses, validates (ajv, the same schemas) and writes one multi-row INSERT per fetched batch. */
async function parseValidateInsert(
  kafka: Kafka,
  pool: Pool,
  names: readonly string[],
  total: number,
): Promise<number> {
  const validator = EventValidator.load();
  const table = `bench_scratch_${randomBytes(4).toString('hex')}`;
  await pool.query(
    `CREATE TABLE "${table}" ("source" text, "event_id" text, "payload" jsonb, PRIMARY KEY ("source", "event_id"))`,
  );
  const ms = await timedConsume(kafka, 'bench-pvi', names, total, async (messages) => {
    const sources: string[] = [];
    const ids: string[] = [];
    const payloads: string[] = [];
    for (const m of messages) {
      const r = validator.validate(m.value);
      if (!r.ok) continue;
      sources.push(r.event.source);
      ids.push(r.event.id);
      payloads.push(JSON.stringify(r.event));
    }
    await pool.query(
      `INSERT INTO "${table}" SELECT * FROM unnest($1::text[], $2::text[], $3::jsonb[]) ON CONFLICT DO NOTHING`,
      [sources, ids, payloads],
    );
  });
  await pool.query(`DROP TABLE "${table}"`);
  return ms;
}

async function main(): Promise<void> {
  const opts = options();
  if (opts.help) {
    process.stdout.write(`${HELP}\n`);
    return;
  }
  const log = (line: string) => process.stdout.write(`${line}\n`);
  const logger = createLogger('bench', process.env['LOG_LEVEL'] ?? 'warn');
  const runId = randomBytes(4).toString('hex');

  const { db, kafka: broker } = await benchInfra(log, stops);

  const jwt = benchJwt();
  const topicPrefix = `ingest${runId}.`;
  const names = topics(topicPrefix);
  const platformOptions = { jwt, logger, topicPrefix, families: ['la-children', 'police'] } as const;
  log(
    opts.oneProcess
      ? 'starting the platform in this process…'
      : 'starting the platform, one process per deployable…',
  );
  const platform: BenchPlatform = opts.oneProcess
    ? await startBenchPlatform(db, broker, platformOptions)
    : await startBenchPlatformProcesses(db, broker, platformOptions, {
        profile: opts.profile,
        profileDir: '.data/profiles',
      });
  stops.push({ what: 'platform', stop: platform.stop });

  const pool = new Pool({ connectionString: db.value, max: 4, application_name: 'mash-bench-ingest' });
  stops.push({ what: 'pool', stop: () => pool.end() });
  const kafka = new Kafka({
    clientId: 'bench-ingest',
    brokers: [...broker.value.brokers],
    logLevel: logLevel.NOTHING,
    ...kafkaSecurity(broker.value.auth),
  });
  const admin = kafka.admin();
  await admin.connect();
  stops.push({ what: 'admin', stop: () => admin.disconnect() });

  const token = benchMashOfficerToken(jwt);

  const subjectCount = Math.max(1, Math.ceil(opts.events / opts.perSubject));
  const subjects = subjectsFor(runId, subjectCount);
  const registered = subjects.filter((s) => s.registered);
  log(`registering ${registered.length} of ${subjectCount} subjects through the gateway…`);
  for (let i = 0; i < registered.length; i += 20) {
    await Promise.all(
      registered.slice(i, i + 20).map((s, j) =>
        graphql(
          platform.gatewayUrl,
          token,
          'mutation ($input: RegisterSubjectInput!) { registerSubject(input: $input) { id } }',
          {
            input: {
              partnershipId: Demo.partnershipId,
              displayName: `Ingest bench child ${i + j}`,
              identifiers: [
                { system: 'la-person-id', value: s.laPersonId },
                { system: 'police-person-id', value: s.policePersonId },
              ],
            },
          },
        ),
      ),
    );
  }

  // Events in story order per subject: round k of every subject, then round k + 1.
  const now = Date.now();
  const byTopic = new Map<string, Published[]>();
  let total = 0;
  for (let k = 0; total < opts.events; k++) {
    for (let i = 0; i < subjects.length && total < opts.events; i++) {
      const { family, e } = eventFor(runId, subjects[i]!, i, k, now);
      const topic = names.agency(
        family as 'police' | 'la-children',
        family === 'police' ? Demo.sourceSystems.police.code : Demo.sourceSystems.laChildren.code,
      );
      const list = byTopic.get(topic) ?? [];
      list.push({
        topic,
        key: family === 'police' ? subjects[i]!.policePersonId : subjects[i]!.laPersonId,
        value: JSON.stringify(e),
      });
      byTopic.set(topic, list);
      total++;
    }
  }
  const agencyTopics = [...byTopic.keys()];
  const disagreements = registered.filter((s) => s.disagreement).length;
  const escalationsBefore = await count(pool, 'SELECT count(*)::int AS n FROM "escalations"."escalation"');
  const thresholdBefore = await count(
    pool,
    `SELECT count(*)::int AS n FROM "escalations"."escalation" WHERE "ground" = 'threshold-disagreement'`,
  );

  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, idempotent: true });
  await producer.connect();
  log(
    `publishing ${total} events (${subjectCount} subjects, ${registered.length} registered, ${disagreements} disagreements)…`,
  );
  const cpuAtStart = cpuSnapshot(platform);
  let cpuAtConnector = cpuAtStart;
  const started = Date.now();
  // The topics at once, each in order (chunks one after another, so one subject's events keep their order).
  await Promise.all(
    [...byTopic].map(async ([topic, list]) => {
      for (let i = 0; i < list.length; i += 2000) {
        await producer.send({
          topic,
          acks: -1,
          messages: list.slice(i, i + 2000).map(({ key, value }) => ({ key, value })),
        });
      }
    }),
  );
  await producer.disconnect();
  const publishedMs = Date.now() - started;
  log(`published in ${(publishedMs / 1000).toFixed(1)} s; waiting for the pipeline…`);

  const connectorGroup = connectorGroupId(topicPrefix, ['la-children', 'police']);
  const deadline = started + opts.timeoutSeconds * 1000;
  let connectorMs = 0;
  let endMs = 0;
  let lastReport = Date.now();
  let escalations = 0;
  while (endMs === 0) {
    if (Date.now() > deadline) throw new Error(`the pipeline did not drain within ${opts.timeoutSeconds} s`);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const connectorLag = await groupLag(admin, connectorGroup, agencyTopics);
    if (connectorMs === 0 && connectorLag === 0) {
      connectorMs = Date.now() - started;
      cpuAtConnector = cpuSnapshot(platform);
      log(`  connector stage drained after ${(connectorMs / 1000).toFixed(1)} s`);
    }
    if (connectorMs === 0) {
      if (Date.now() - lastReport > 5000) {
        log(`  connector lag ${connectorLag}`);
        lastReport = Date.now();
      }
      continue;
    }
    const casesLag = await groupLag(admin, `${topicPrefix}mash-cases`, [names.statusChanges]);
    const engineLag = await groupLag(admin, `${topicPrefix}mash-escalations`, [names.caseEvents]);
    const outbox =
      (await count(pool, 'SELECT count(*)::int AS n FROM "cases"."outbox"')) +
      (await count(pool, 'SELECT count(*)::int AS n FROM "escalations"."outbox"'));
    escalations =
      (await count(pool, 'SELECT count(*)::int AS n FROM "escalations"."escalation"')) - escalationsBefore;
    // The findings already due when their evidence arrived are raised by the clock scheduler: the pipeline is done
    // only when none is left waiting, and every threshold disagreement (the story each disagreement subject tells)
    // has its escalation. Other grounds (increasing risk, from the DASH assessments) are counted, not awaited.
    const dueTimers = await count(
      pool,
      'SELECT count(*)::int AS n FROM "escalations"."timer" WHERE "fired_at" IS NULL AND "due_at" <= now()',
    );
    const thresholdRaised =
      (await count(
        pool,
        `SELECT count(*)::int AS n FROM "escalations"."escalation" WHERE "ground" = 'threshold-disagreement'`,
      )) - thresholdBefore;
    if (
      casesLag === 0 &&
      engineLag === 0 &&
      outbox === 0 &&
      dueTimers === 0 &&
      thresholdRaised >= disagreements
    ) {
      endMs = Date.now() - started;
    } else if (Date.now() - lastReport > 5000) {
      log(
        `  cases lag ${casesLag}, engine lag ${engineLag}, outbox ${outbox}, due timers ${dueTimers}, threshold disagreements ${thresholdRaised}/${disagreements}, escalations ${escalations}`,
      );
      lastReport = Date.now();
    }
  }
  const cpuAtEnd = cpuSnapshot(platform);
  const rawEvents = await count(pool, 'SELECT count(*)::int AS n FROM "ingest"."raw_event"');
  const timeline = await count(pool, 'SELECT count(*)::int AS n FROM "cases"."status_change"');
  const unmatched = await count(pool, 'SELECT count(*)::int AS n FROM "cases"."unmatched_status_change"');
  log(
    `rows: ${rawEvents} raw events, ${timeline} timeline + ${unmatched} unmatched status changes, ${escalations} escalations`,
  );
  const byGround = (
    await pool.query<{ ground: string; n: number }>(
      'SELECT "ground", count(*)::int AS n FROM "escalations"."escalation" GROUP BY 1 ORDER BY 1',
    )
  ).rows;
  log(`escalations by ground: ${byGround.map((r) => `${r.ground} ${r.n}`).join(', ')}`);

  const batches = await batchSizes(platform);

  log('baselines on the same records…');
  const cpuBeforeRaw = cpuSeconds(process.pid);
  const rawMs = await rawConsume(kafka, agencyTopics, total);
  const cpuBeforePvi = cpuSeconds(process.pid);
  const pviMs = await parseValidateInsert(kafka, pool, agencyTopics, total);
  const pviCpu = cpuSeconds(process.pid) - cpuBeforePvi;
  const rawCpu = cpuBeforePvi - cpuBeforeRaw;

  const machine = `${os.cpus().length} cores (${os.cpus()[0]?.model.trim() ?? 'unknown CPU'}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${os.platform()} ${os.release()}`;
  const connectorRate = rate(total, connectorMs);
  const endRate = rate(total, endMs);
  const rawRate = rate(total, rawMs);
  const pviRate = rate(total, pviMs);
  log('');
  log(`date:    ${new Date().toISOString()}`);
  log(
    `machine: ${machine}; load average ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  log(
    `events:  ${total} over ${subjectCount} subjects (${registered.length} registered), ${escalations} escalations raised`,
  );
  log(`mode:    ${opts.oneProcess ? 'every deployable in one process' : 'one process per deployable'}`);
  log('');
  log(
    `connector stage            ${fmt(connectorRate).padStart(8)} events/s  (${(connectorMs / 1000).toFixed(1)} s)`,
  );
  log(`end to end                 ${fmt(endRate).padStart(8)} events/s  (${(endMs / 1000).toFixed(1)} s)`);
  log(`raw kafkajs consume        ${fmt(rawRate).padStart(8)} records/s (${(rawMs / 1000).toFixed(2)} s)`);
  log(`parse+validate+insert      ${fmt(pviRate).padStart(8)} events/s  (${(pviMs / 1000).toFixed(2)} s)`);
  log('');
  if (platform.pids) {
    log('');
    log('CPU seconds per process   connector stage   end to end');
    for (const [name, atStart] of cpuAtStart) {
      const stage = (cpuAtConnector.get(name) ?? NaN) - atStart;
      const whole = (cpuAtEnd.get(name) ?? NaN) - atStart;
      log(`  ${name.padEnd(22)} ${stage.toFixed(1).padStart(15)} ${whole.toFixed(1).padStart(12)}`);
    }
  }
  const connectorCpu = (cpuAtConnector.get('connector') ?? NaN) - (cpuAtStart.get('connector') ?? NaN);
  if (platform.pids) {
    // On a machine shared with other work, a process waits for a core as long as it computes: CPU time per event
    // compares the work done, whatever the load (database and broker time not included on either side).
    const perEvent = (seconds: number) => `${((seconds * 1e6) / total).toFixed(0).padStart(5)} µs/event`;
    log('');
    log(`CPU per event: connector process ${perEvent(connectorCpu)} during its stage;`);
    log(`               raw consume       ${perEvent(rawCpu)}, parse+validate+insert ${perEvent(pviCpu)}`);
    log(`               connector / parse+validate+insert CPU: ${(connectorCpu / pviCpu).toFixed(2)}x`);
  }
  if (batches.length > 0) {
    log('');
    log("records per handled run (mash_consumer_batch_size, from each deployable's /metrics):");
    for (const b of batches)
      log(`  ${b.group.padEnd(40)} ${b.runs.toString().padStart(6)} runs, mean ${b.mean.toFixed(1)}`);
  }
  log('');
  log(`connector / baseline:  ${((100 * connectorRate) / pviRate).toFixed(1)}%   (target ≥ 50%)`);
  log(`end to end / baseline: ${((100 * endRate) / pviRate).toFixed(1)}%   (target ≥ 25%)`);
}

let finished = false;
const shutdown = async (code: number) => {
  if (finished) return;
  finished = true;
  await stopAll();
  process.exit(code);
};
process.once('SIGINT', () => void shutdown(130));
process.once('SIGTERM', () => void shutdown(143));

main().then(
  () => shutdown(0),
  async (err: unknown) => {
    process.stderr.write(`bench:ingest failed: ${(err as Error).stack ?? String(err)}\n`);
    await shutdown(1);
  },
);
