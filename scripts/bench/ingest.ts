import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
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
 * disagreements that raise escalations) on the agency topics of a running platform, in two rounds on two sets of
 * subjects: the connector stage alone (the records published while every consuming deployable was held, then only
 * the connector let go, timed until its group has no lag), and end to end (published while the connector was held,
 * timed from letting it go until every consumer group has no lag and the row counts are final). Then, in the same
 * run and on the same records, a raw kafkajs consume and a parse + ajv validate + one batched INSERT per fetched
 * batch baseline, which also find the records waiting (each timed three times, the median reported).
 */

const HELP = `npm run bench:ingest -- [options]

  --events N     agency events to publish (default 20000)
  --per-subject N events per subject (default 10): subjects = events / per-subject, 95% registered
  --high-risk-every N  one subject in N has DASH assessments at the high-risk score (14 or more, SafeLives), which
                 raise increasing-risk escalations while children's services judge early help (default 20); the
                 others' assessments score standard or medium (below 14)
  --warm-up N    events of a first, untimed round through the whole pipeline on subjects of their own (default
                 60000; 0 for none), so the timed rounds find every process warm (compiled, pools filled), as a
                 platform that has been running is (after 20000 the broker's JIT compilers still took 0.03-0.15 s a
                 second at rest, in eleven runs; after 60000, 0.006-0.040 s, in six); each baseline likewise runs
                 once untimed first
  --rest S       after the warm-up, measure every process's CPU for S seconds with nothing flowing (default 10; 0 for
                 none): what the platform burns per second at rest (polls, heartbeats, timers, the broker's own
                 threads), printed beside each round's CPU
  --timeout S    give up after S seconds waiting for the pipeline (default 900)
  --one-process  run every deployable in this process (the default is one process each, as deployed); nothing
                 can then be held, so there is one round, timed from the start of publishing
  --profile LIST deployables to run with --cpu-prof (comma-separated, e.g. connector,cases; profiles in
                 .data/profiles); needs one process each
  --node-flags=F Node or V8 flags for every deployable, space-separated (e.g. --node-flags=--max-semi-space-size=32), to
                 try a runtime setting; needs one process each
  --help         this text

Environment: DATABASE_URL (else a throwaway database on 127.0.0.1:5432, else an embedded PostgreSQL),
KAFKA_BROKERS (else a broker is started), LOG_LEVEL (default warn).`;

const DAY = 24 * 60 * 60 * 1000;
/** Timed runs of each baseline; the median is reported. */
const BASELINE_RUNS = 3;

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
      'high-risk-every': { type: 'string' },
      'warm-up': { type: 'string' },
      timeout: { type: 'string' },
      rest: { type: 'string' },
      'one-process': { type: 'boolean' },
      profile: { type: 'string' },
      'node-flags': { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  return {
    help: values.help ?? false,
    events: positiveInt('events', values.events, 20_000),
    perSubject: positiveInt('per-subject', values['per-subject'], 10),
    highRiskEvery: positiveInt('high-risk-every', values['high-risk-every'], 20),
    warmUp: values['warm-up'] === '0' ? 0 : positiveInt('warm-up', values['warm-up'], 60_000),
    timeoutSeconds: positiveInt('timeout', values.timeout, 900),
    restSeconds: values.rest === '0' ? 0 : positiveInt('rest', values.rest, 10),
    oneProcess: values['one-process'] ?? false,
    profile: (values.profile ?? '').split(',').filter(Boolean) as DeployableKind[],
    nodeFlags: (values['node-flags'] ?? '').split(' ').filter(Boolean),
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
  /** Police DASH assessments score high risk (14 or more); the others' score standard or medium. */
  readonly highRisk: boolean;
}

function subjectsFor(runId: string, count: number, highRiskEvery: number): Subject[] {
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
      // One subject in highRiskEvery (by default twenty: not the disagreement subjects) is assessed at high risk.
      highRisk: i % highRiskEvery === (highRiskEvery > 3 ? highRiskEvery - 3 : 0),
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
  const score = dashScore(s, i, k);
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
        score,
        level: dashLevel(score),
        incidentRef: `TVP-DASH-I${i}-${k}`,
      },
    },
  };
}

/**
 * Subject `s`'s DASH score at its k-th event: 14 to 27 for a high-risk subject, 0 to 13 otherwise (SafeLives: 14
 * ticks or more is high risk, 10 or more medium).
 */
function dashScore(s: Subject, i: number, k: number): number {
  return (s.highRisk ? 14 : 0) + ((i + k) % 14);
}

function dashLevel(score: number): 'standard' | 'medium' | 'high' {
  return score >= 14 ? 'high' : score >= 10 ? 'medium' : 'standard';
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

/**
 * Postgres's statements by time, when the server has `pg_stat_statements` loaded (`shared_preload_libraries`): reset
 * at the start of a round, read at its end for the benchmark's database. Statement time, under the run's own load,
 * and without the time Postgres takes to read a statement's parameters; null where the extension cannot be used.
 */
const statementStats = {
  async reset(pool: Pool): Promise<boolean> {
    try {
      // Only where the server has the library loaded: the extension is then made in the benchmark's database if it
      // is not there yet, and nothing is made in a database whose server could not use it.
      const { rows } = await pool.query<{ libraries: string }>(
        `SELECT current_setting('shared_preload_libraries') AS "libraries"`,
      );
      if (!/(^|[\s,])pg_stat_statements([\s,]|$)/.test(rows[0]?.libraries ?? '')) return false;
      await pool.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
      await pool.query('SELECT pg_stat_statements_reset()');
      return true;
    } catch {
      return false;
    }
  },
  async top(
    pool: Pool,
    n: number,
  ): Promise<{ share: number; calls: number; rows: number; query: string }[] | null> {
    try {
      const { rows } = await pool.query<{ ms: number; calls: string; rows: string; query: string }>(
        `SELECT s."total_exec_time" AS "ms", s."calls", s."rows", s."query"
           FROM pg_stat_statements s JOIN pg_database d ON d."oid" = s."dbid"
          WHERE d."datname" = current_database() ORDER BY s."total_exec_time" DESC`,
      );
      const total = rows.reduce((sum, r) => sum + r.ms, 0);
      return rows.slice(0, n).map((r) => ({
        share: total > 0 ? r.ms / total : 0,
        calls: Number(r.calls),
        rows: Number(r.rows),
        query: r.query.replace(/\s+/g, ' ').trim(),
      }));
    } catch {
      return null;
    }
  },
};

async function count(pool: Pool, sql: string): Promise<number> {
  const { rows } = await pool.query<{ n: number }>(sql);
  return rows[0]?.n ?? 0;
}

/** A deployable's Prometheus `/metrics` text (empty when it does not answer). */
function metricsText(url: string): Promise<string> {
  return fetch(new URL('/metrics', url))
    .then((r) => (r.ok ? r.text() : ''))
    .catch(() => '');
}

/**
 * Each consumer group's handled runs and their mean size, from the deployables' Prometheus `/metrics` (the
 * `mash_consumer_batch_size` histogram): how well a stage batched; and the offset commits each group sent.
 */
async function batchSizes(
  platform: BenchPlatform,
): Promise<{ group: string; runs: number; mean: number; commits: number }[]> {
  const found = new Map<string, { sum: number; count: number; commits: number }>();
  const entry = (group: string) => {
    const e = found.get(group) ?? { sum: 0, count: 0, commits: 0 };
    found.set(group, e);
    return e;
  };
  for (const url of Object.values(platform.subgraphUrls)) {
    const text = await metricsText(url);
    for (const line of text.split('\n')) {
      const m = /^mash_consumer_batch_size_(sum|count)\{[^}]*group="([^"]+)"[^}]*\} (\S+)$/.exec(line);
      if (m) entry(m[2]!)[m[1] as 'sum' | 'count'] += Number(m[3]);
      const c = /^mash_consumer_offset_commits_total\{[^}]*group="([^"]+)"[^}]*\} (\S+)$/.exec(line);
      if (c) entry(c[1]!).commits += Number(c[2]);
    }
  }
  return [...found]
    .filter(([, e]) => e.count > 0)
    .map(([group, e]) => ({ group, runs: e.count, mean: e.sum / e.count, commits: e.commits }));
}

/** CPU seconds (user + system) a process has used so far, from /proc (Linux); NaN elsewhere. */
function cpuSeconds(pid: number): number {
  try {
    return statCpuSeconds(`/proc/${pid}/stat`);
  } catch {
    return NaN;
  }
}

/** User + system CPU seconds in a `/proc/…/stat` file (a process's, or one thread's under `task/`). */
function statCpuSeconds(path: string): number {
  const stat = readFileSync(path, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 of the line, 12 and 13 after the command name, in clock ticks (100/s).
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** The snapshot group of the broker's JIT compiler threads (part of the broker's own line, not added to the total). */
const BROKER_JIT = '  its JIT compilers';

/**
 * CPU seconds (user + system) so far of a JVM's JIT compiler threads (`C1 CompilerThre…`, `C2 CompilerThre…` in
 * the thread names under /proc/<pid>/task): how much of the broker's CPU goes to compiling its own code rather than to requests.
 * HotSpot starts and ends compiler threads as its queue grows and shrinks, so a thread that ended between two
 * readings is missed and one that started counts from zero. NaN where /proc cannot tell.
 */
function jitCpuSeconds(pid: number): number {
  try {
    let total = 0;
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      const comm = readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8');
      if (/^C[12] CompilerThre/.test(comm)) total += statCpuSeconds(`/proc/${pid}/task/${tid}/stat`);
    }
    return total;
  } catch {
    return NaN;
  }
}

/** CPU seconds so far of each process of each group (a deployable, the publisher, the database, the broker). */
type CpuSnapshot = Map<string, Map<number, number>>;

/**
 * Seconds each deployable's main thread has spent in garbage-collection pauses so far, by kind (`minor`: scavenges
 * of the young generation; the rest: marking, sweeping, compacting the old one), from the
 * `nodejs_gc_duration_seconds` histogram on its `/metrics`.
 */
type GcSnapshot = Map<string, { minor: number; other: number }>;

async function gcSnapshot(platform: BenchPlatform, only?: DeployableKind): Promise<GcSnapshot> {
  const snapshot: GcSnapshot = new Map();
  const urls = (
    [...Object.entries(platform.subgraphUrls), ['gateway', platform.gatewayUrl]] as [string, string][]
  ).filter(([kind]) => only === undefined || kind === only);
  await Promise.all(
    urls.map(async ([kind, url]) => {
      const text = await metricsText(url);
      const gc = { minor: 0, other: 0 };
      let found = false;
      for (const line of text.split('\n')) {
        const m = /^nodejs_gc_duration_seconds_sum\{[^}]*kind="([^"]+)"[^}]*\} (\S+)$/.exec(line);
        if (!m) continue;
        found = true;
        gc[m[1] === 'minor' ? 'minor' : 'other'] += Number(m[2]);
      }
      if (found) snapshot.set(kind, gc);
    }),
  );
  return snapshot;
}

/**
 * Each deployable's CPU seconds so far and this process's (the publisher); when they run on this machine, the
 * Postgres server's (every backend and background process it lists, on the benchmark's database or on none) and
 * the broker's, so the run shows what the whole pipeline costs per event and not only its Node processes.
 */
async function cpuSnapshot(platform: BenchPlatform, pool: Pool, brokerPid?: number): Promise<CpuSnapshot> {
  const snapshot: CpuSnapshot = new Map();
  const add = (group: string, pids: readonly number[]) => {
    const found = new Map<number, number>();
    for (const pid of pids) {
      const cpu = cpuSeconds(pid);
      if (!Number.isNaN(cpu)) found.set(pid, cpu);
    }
    if (found.size > 0) snapshot.set(group, found);
  };
  for (const [kind, pid] of Object.entries(platform.pids ?? {})) add(kind, [pid]);
  add('bench (publisher)', [process.pid]);
  const { rows } = await pool.query<{ pid: number }>(
    'SELECT "pid" FROM pg_stat_activity WHERE "datname" = current_database() OR "datname" IS NULL',
  );
  add(
    'postgres (server)',
    rows.map((r) => r.pid),
  );
  if (brokerPid !== undefined) {
    add('kafka broker', [brokerPid]);
    // Not a process of its own: the broker's compiler threads, already counted in its line.
    const jit = jitCpuSeconds(brokerPid);
    if (!Number.isNaN(jit)) snapshot.set(BROKER_JIT, new Map([[brokerPid, jit]]));
  }
  return snapshot;
}

/**
 * CPU seconds a group used between two snapshots: a process that started in between counts from zero; one that
 * ended in between is missed (the platform's pools keep their connections, so few do).
 */
function cpuBetween(from: CpuSnapshot, to: CpuSnapshot, group: string): number {
  const end = to.get(group);
  if (!end) return NaN;
  let used = 0;
  for (const [pid, cpu] of end) used += cpu - (from.get(group)?.get(pid) ?? 0);
  return used;
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
        nodeFlags: opts.nodeFlags,
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
  // One process per deployable: a deployable can be held (SIGSTOP) while records are published, so that a clock
  // starts with the records waiting on the topic, as the baselines find them, and neither the load generator's
  // CPU nor its publishing time is in the figure. A hold shorter than the consumers' 30 s session timeout costs no
  // rebalance.
  const pids = platform.pids;
  const held = pids !== undefined;
  const signal = (kinds: readonly DeployableKind[], sig: 'SIGSTOP' | 'SIGCONT') => {
    for (const kind of kinds) {
      const pid = pids?.[kind];
      if (pid !== undefined) process.kill(pid, sig);
    }
  };
  const hold = (kinds: readonly DeployableKind[]) => signal(kinds, 'SIGSTOP');
  const release = (kinds: readonly DeployableKind[]) => signal(kinds, 'SIGCONT');

  // A set of subjects per round: the warm-up (untimed), the connector stage on its own, then the whole pipeline.
  const subjectCount = Math.max(1, Math.ceil(opts.events / opts.perSubject));
  const rounds = [
    ...(opts.warmUp > 0 ? [{ name: 'warm-up', events: opts.warmUp }] : []),
    ...(held ? [{ name: 'stage', events: opts.events }] : []),
    { name: 'pipeline', events: opts.events },
  ].map(({ name, events }) => {
    const tag = `${runId}${name[0]}`;
    const subjects = subjectsFor(tag, Math.max(1, Math.ceil(events / opts.perSubject)), opts.highRiskEvery);
    return { name, tag, events, subjects, registered: subjects.filter((s) => s.registered) };
  });
  const timedRounds = rounds.filter((r) => r.name !== 'warm-up');
  const registered = rounds.flatMap((r) => r.registered);
  log(
    `registering ${registered.length} subjects (${rounds.map((r) => r.registered.length).join(' + ')}, one set per round) through the gateway…`,
  );
  for (let i = 0; i < registered.length; i += 50) {
    await Promise.all(
      registered.slice(i, i + 50).map((s, j) =>
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

  /** Each round's events by agency topic, in story order per subject: round k of every subject, then k + 1. */
  const now = Date.now();
  const eventsOf = (tag: string, subjects: readonly Subject[], events = opts.events) => {
    const byTopic = new Map<string, Published[]>();
    let n = 0;
    for (let k = 0; n < events; k++) {
      for (let i = 0; i < subjects.length && n < events; i++) {
        const { family, e } = eventFor(tag, subjects[i]!, i, k, now);
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
        n++;
      }
    }
    return byTopic;
  };
  const total = opts.events;
  // The two agency topics the events go to (no need to make a round's events to name them).
  const agencyTopics = [
    names.agency('la-children', Demo.sourceSystems.laChildren.code),
    names.agency('police', Demo.sourceSystems.police.code),
  ];

  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, idempotent: true });
  await producer.connect();
  stops.push({ what: 'producer', stop: () => producer.disconnect() });
  /** Publishes the topics at once, each in order (chunks one after another: one subject's events keep their order). */
  const publish = async (byTopic: Map<string, Published[]>): Promise<number> => {
    const at = Date.now();
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
    return Date.now() - at;
  };

  const connectorGroup = connectorGroupId(topicPrefix, ['la-children', 'police']);
  const thresholdCount = () =>
    count(
      pool,
      `SELECT count(*)::int AS n FROM "escalations"."escalation" WHERE "ground" = 'threshold-disagreement'`,
    );
  /** Polls `done` every `pollMs()` ms (100 unless the check says otherwise) until it holds. */
  const waitFor = async (
    what: string,
    done: () => Promise<boolean>,
    deadline: number,
    pollMs: () => number = () => 100,
  ) => {
    while (!(await done())) {
      if (Date.now() > deadline) throw new Error(`${what} did not finish within ${opts.timeoutSeconds} s`);
      await new Promise((resolve) => setTimeout(resolve, pollMs()));
    }
  };
  let connectorLag = Infinity;
  const connectorDrained = async () => {
    connectorLag = await groupLag(admin, connectorGroup, agencyTopics);
    return connectorLag === 0;
  };
  /**
   * How often to ask whether the connector has drained: every 10 ms once fewer than a tenth of a round's records are
   * left, so the stage's time ends within about 10 ms of its last commit (polled every 100 ms it ended on average 50
   * ms late, about 4% of a 1.3 s stage; the baselines stop the clock on their last batch with no poll), and every
   * 100 ms before that, so the polls do not load the broker while the stage works.
   */
  const connectorPollMs = () => (connectorLag < total / 10 ? 10 : 100);
  const waitForConnector = (deadline: number) => {
    connectorLag = Infinity;
    return waitFor('the connector stage', connectorDrained, deadline, connectorPollMs);
  };
  let lastReport = Date.now();
  /**
   * The pipeline is done when the cases and engine groups have no lag, the outboxes are empty, no finding timer that
   * is due is left (the findings already due when their evidence arrived are raised by the clock scheduler) and
   * every threshold disagreement (the story each disagreement subject tells) has its escalation. Other grounds
   * (increasing risk, from the DASH assessments) are counted, not awaited.
   */
  const pipelineDone = (thresholdBefore: number, disagreements: number) => async () => {
    // Checked in pipeline order, stopping at the first that is not done (unless a progress line is due): polling
    // every 100 ms must not load the broker and the database it measures.
    const report = Date.now() - lastReport > 5000;
    const found: string[] = [];
    const checks: [string, () => Promise<number>, (n: number) => boolean][] = [
      ['cases lag', () => groupLag(admin, `${topicPrefix}mash-cases`, [names.statusChanges]), (n) => n === 0],
      [
        'engine lag',
        () => groupLag(admin, `${topicPrefix}mash-escalations`, [names.caseEvents]),
        (n) => n === 0,
      ],
      [
        // Whether each outbox still holds a row, through its primary key as the relays ask: counting the rows
        // scanned the rows deleted but not yet vacuumed (about 50 MB of case events a round), which was 8% of the
        // database's statement time in the end-to-end round, from three calls.
        'outboxes not empty',
        async () => {
          let notEmpty = 0;
          for (const schema of ['cases', 'escalations']) {
            notEmpty += await count(
              pool,
              `SELECT count(*)::int AS n FROM (SELECT 1 FROM "${schema}"."outbox" ORDER BY "id" LIMIT 1) o`,
            );
          }
          return notEmpty;
        },
        (n) => n === 0,
      ],
      [
        'due timers',
        () =>
          count(
            pool,
            'SELECT count(*)::int AS n FROM "escalations"."timer" WHERE "fired_at" IS NULL AND "due_at" <= now()',
          ),
        (n) => n === 0,
      ],
      [
        'threshold disagreements',
        async () => (await thresholdCount()) - thresholdBefore,
        (n) => n >= disagreements,
      ],
    ];
    let done = true;
    for (const [what, measure, ok] of checks) {
      const n = await measure();
      found.push(what === 'threshold disagreements' ? `${what} ${n}/${disagreements}` : `${what} ${n}`);
      if (!ok(n)) {
        done = false;
        if (!report) break;
      }
    }
    if (!done && report) {
      log(`  ${found.join(', ')}`);
      lastReport = Date.now();
    }
    return done;
  };
  const consumers: DeployableKind[] = ['connector', 'cases', 'escalations', 'contacts'];

  // The warm-up: its events through the whole pipeline, untimed, so that the timed rounds measure processes that
  // have been running (their code compiled by V8, their pools and caches filled), not each one's first seconds.
  const warmUpRound = rounds.find((r) => r.name === 'warm-up');
  if (warmUpRound) {
    const disagreements = warmUpRound.registered.filter((s) => s.disagreement).length;
    const thresholdBefore = await thresholdCount();
    const at = Date.now();
    const deadline = at + opts.timeoutSeconds * 1000;
    await publish(eventsOf(warmUpRound.tag, warmUpRound.subjects, warmUpRound.events));
    await waitFor('the warm-up', connectorDrained, deadline);
    await waitFor('the warm-up', pipelineDone(thresholdBefore, disagreements), deadline);
    log(
      `warm-up: ${warmUpRound.events} events through the whole pipeline in ${((Date.now() - at) / 1000).toFixed(1)} s (not timed)`,
    );
  }
  const escalationsBefore = await count(pool, 'SELECT count(*)::int AS n FROM "escalations"."escalation"');
  /** What the pipeline has stored so far: the timed rounds' rows are the difference, the warm-up's left out. */
  const rowCounts = async () => ({
    raw: await count(pool, 'SELECT count(*)::int AS n FROM "ingest"."raw_event"'),
    timeline: await count(pool, 'SELECT count(*)::int AS n FROM "cases"."status_change"'),
    unmatched: await count(pool, 'SELECT count(*)::int AS n FROM "cases"."unmatched_status_change"'),
    byGround: new Map(
      (
        await pool.query<{ ground: string; n: number }>(
          'SELECT "ground", count(*)::int AS n FROM "escalations"."escalation" GROUP BY 1 ORDER BY 1',
        )
      ).rows.map((r) => [r.ground, r.n]),
    ),
  });
  const rowsBefore = await rowCounts();

  // Round 1, the connector stage on its own: the records wait on the agency topics (published while every
  // consuming deployable was held), as they do for the baselines, and only the connector runs; the stages behind
  // it are let go once it has drained, and the round's pipeline is left to finish before round 2.
  let connectorMs = NaN;
  const snapshot = () => cpuSnapshot(platform, pool, broker.value.pid);
  // At rest: every process's CPU over a window with nothing flowing (the warm-up's records settled first), so the
  // rounds' CPU can be read as what the events cost on top of what the platform burns per second anyway.
  let rest: { from: CpuSnapshot; to: CpuSnapshot; seconds: number } | undefined;
  if (opts.restSeconds > 0) {
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const from = await snapshot();
    const at = Date.now();
    await new Promise((resolve) => setTimeout(resolve, opts.restSeconds * 1000));
    const to = await snapshot();
    rest = { from, to, seconds: (Date.now() - at) / 1000 };
    log(`at rest: every process's CPU measured for ${rest.seconds.toFixed(1)} s with nothing flowing`);
  }
  let cpuAtStart = await snapshot();
  let cpuAtConnector = cpuAtStart;
  // Read where each round starts (an empty snapshot prints no GC figure).
  let gcAtStart: GcSnapshot = new Map();
  let gcAtConnector = gcAtStart;
  const stageRound = rounds.find((r) => r.name === 'stage');
  if (stageRound) {
    const disagreements = stageRound.registered.filter((s) => s.disagreement).length;
    const thresholdBefore = await thresholdCount();
    // GC is read before the hold: a held process answers no request (and collects nothing while held).
    gcAtStart = await gcSnapshot(platform);
    hold(consumers);
    const publishedMs = await publish(eventsOf(stageRound.tag, stageRound.subjects));
    log(
      `round 1, the connector stage alone: published ${total} events in ${(publishedMs / 1000).toFixed(1)} s with the consumers held; the connector lets go…`,
    );
    cpuAtStart = await snapshot();
    const started = Date.now();
    release(['connector']);
    await waitForConnector(started + opts.timeoutSeconds * 1000);
    connectorMs = Date.now() - started;
    cpuAtConnector = await snapshot();
    // The stages behind the connector are still held: only the connector is asked.
    gcAtConnector = await gcSnapshot(platform, 'connector');
    log(`  connector stage drained after ${(connectorMs / 1000).toFixed(1)} s; the stages behind it let go…`);
    release(consumers);
    const behind = Date.now();
    await waitFor(
      "round 1's pipeline",
      pipelineDone(thresholdBefore, disagreements),
      behind + opts.timeoutSeconds * 1000,
    );
    log(
      `  the stages behind it drained their backlog in ${((Date.now() - behind) / 1000).toFixed(1)} s (not timed)`,
    );
  }

  // Round 2, end to end: the records of another set of subjects wait on the agency topics (published with the
  // connector held); the clock runs from letting the connector go until the pipeline is done. With every
  // deployable in this process nothing can be held: the clock runs from the start of publishing.
  const pipelineRound = rounds.find((r) => r.name === 'pipeline')!;
  const disagreements = pipelineRound.registered.filter((s) => s.disagreement).length;
  const thresholdBefore = await thresholdCount();
  const pipelineEvents = eventsOf(pipelineRound.tag, pipelineRound.subjects);
  let started: number;
  let cpuAtPipelineStart: CpuSnapshot;
  let statementsCounted: boolean;
  let gcAtPipelineStart: GcSnapshot;
  if (held) {
    gcAtPipelineStart = await gcSnapshot(platform);
    hold(['connector']);
    const publishedMs = await publish(pipelineEvents);
    log(
      `round 2, end to end: published ${total} events in ${(publishedMs / 1000).toFixed(1)} s with the connector held; it lets go…`,
    );
    statementsCounted = await statementStats.reset(pool);
    cpuAtPipelineStart = await snapshot();
    started = Date.now();
    release(['connector']);
  } else {
    log(`publishing ${total} events…`);
    statementsCounted = await statementStats.reset(pool);
    cpuAtPipelineStart = await snapshot();
    gcAtPipelineStart = await gcSnapshot(platform);
    started = Date.now();
    await publish(pipelineEvents);
    log(`published in ${((Date.now() - started) / 1000).toFixed(1)} s; waiting for the pipeline…`);
  }
  const deadline = started + opts.timeoutSeconds * 1000;
  await waitForConnector(deadline);
  const connectorInPipelineMs = Date.now() - started;
  log(`  connector stage drained after ${(connectorInPipelineMs / 1000).toFixed(1)} s`);
  await waitFor('the pipeline', pipelineDone(thresholdBefore, disagreements), deadline);
  const endMs = Date.now() - started;
  if (!stageRound) {
    connectorMs = connectorInPipelineMs;
    cpuAtStart = cpuAtPipelineStart;
    gcAtStart = gcAtPipelineStart;
  }
  const escalations =
    (await count(pool, 'SELECT count(*)::int AS n FROM "escalations"."escalation"')) - escalationsBefore;
  const cpuAtEnd = await snapshot();
  const statements = statementsCounted ? await statementStats.top(pool, 12) : null;
  const gcAtEnd = await gcSnapshot(platform);
  const rowsAfter = await rowCounts();
  log(
    `rows (${timedRounds.length === 2 ? 'both timed rounds' : 'the timed round'}): ${rowsAfter.raw - rowsBefore.raw} raw events, ${rowsAfter.timeline - rowsBefore.timeline} timeline + ${rowsAfter.unmatched - rowsBefore.unmatched} unmatched status changes, ${escalations} escalations`,
  );
  log(
    `escalations by ground: ${[...rowsAfter.byGround].map(([ground, n]) => `${ground} ${n - (rowsBefore.byGround.get(ground) ?? 0)}`).join(', ')}`,
  );

  const batches = await batchSizes(platform);

  // The baselines read every record the rounds published (rates are per record), each once untimed first when
  // the pipeline was warmed up, as the pipeline was.
  const records = rounds.reduce((n, r) => n + r.events, 0);
  log(`baselines on the same ${records} records${warmUpRound ? ', each after an untimed run' : ''}…`);
  if (warmUpRound) {
    await rawConsume(kafka, agencyTopics, records);
    await parseValidateInsert(kafka, pool, agencyTopics, records);
  }
  // Each baseline is timed BASELINE_RUNS times, interleaved, and its median run taken: a single run of two or
  // three seconds on a shared two-core machine varied by a third from one benchmark to the next.
  const timed = async (work: () => Promise<number>) => {
    const cpuBefore = cpuSeconds(process.pid);
    const ms = await work();
    return { ms, cpu: cpuSeconds(process.pid) - cpuBefore };
  };
  const rawRuns: { ms: number; cpu: number }[] = [];
  const pviRuns: { ms: number; cpu: number }[] = [];
  for (let i = 0; i < BASELINE_RUNS; i++) {
    rawRuns.push(await timed(() => rawConsume(kafka, agencyTopics, records)));
    pviRuns.push(await timed(() => parseValidateInsert(kafka, pool, agencyTopics, records)));
  }
  const median = (runs: { ms: number; cpu: number }[]) =>
    [...runs].sort((a, b) => a.ms - b.ms)[Math.floor(runs.length / 2)]!;
  const { ms: rawMs, cpu: rawCpu } = median(rawRuns);
  const { ms: pviMs, cpu: pviCpu } = median(pviRuns);
  const spread = (runs: { ms: number }[]) =>
    `runs ${runs.map((r) => fmt(rate(records, r.ms))).join(', ')}; median`;

  const machine = `${os.cpus().length} cores (${os.cpus()[0]?.model.trim() ?? 'unknown CPU'}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${os.platform()} ${os.release()}`;
  const connectorRate = rate(total, connectorMs);
  const connectorInPipelineRate = rate(total, connectorInPipelineMs);
  const endRate = rate(total, endMs);
  const rawRate = rate(records, rawMs);
  const pviRate = rate(records, pviMs);
  log('');
  log(`date:    ${new Date().toISOString()}`);
  log(
    `machine: ${machine}; load average ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  log(
    `events:  ${total} per round over ${subjectCount} subjects (${pipelineRound.registered.length} registered); end to end raised ${escalations} escalations`,
  );
  log(
    `warm-up: ${warmUpRound ? `${warmUpRound.events} events through the whole pipeline first, untimed; each baseline run once untimed first, then ${BASELINE_RUNS} times timed (median)` : 'none (--warm-up 0): every process starts cold'}`,
  );
  log(
    `mode:    ${opts.oneProcess ? 'every deployable in one process (nothing held: the clocks run from the start of publishing)' : 'one process per deployable; records published before each clock starts'}`,
  );
  log('');
  const seconds = (ms: number) => (ms / 1000).toFixed(1);
  log(
    `connector stage${stageRound ? ' (alone)' : '        '}    ${fmt(connectorRate).padStart(8)} events/s  (${seconds(connectorMs)} s)`,
  );
  if (stageRound) {
    log(
      `connector within pipeline  ${fmt(connectorInPipelineRate).padStart(8)} events/s  (${seconds(connectorInPipelineMs)} s, sharing the cores with the stages behind it)`,
    );
  }
  log(`end to end                 ${fmt(endRate).padStart(8)} events/s  (${seconds(endMs)} s)`);
  log(
    `raw kafkajs consume        ${fmt(rawRate).padStart(8)} records/s (${(rawMs / 1000).toFixed(2)} s; ${spread(rawRuns)})`,
  );
  log(
    `parse+validate+insert      ${fmt(pviRate).padStart(8)} events/s  (${(pviMs / 1000).toFixed(2)} s; ${spread(pviRuns)})`,
  );
  const connectorCpu = cpuBetween(cpuAtStart, cpuAtConnector, 'connector');
  if (platform.pids) {
    log('');
    log(
      `CPU seconds per process   connector stage${stageRound ? ' (alone)' : '        '}   end to end   end to end per event   at rest per s   of which GC pauses (young + old)`,
    );
    const restPerSecond = (name: string) =>
      rest ? cpuBetween(rest.from, rest.to, name) / rest.seconds : NaN;
    const gcPerEvent = (name: string) => {
      const end = gcAtEnd.get(name);
      const start = gcAtPipelineStart.get(name);
      if (!end || !start) return '';
      const us = (seconds: number) => ((seconds * 1e6) / total).toFixed(0);
      return `   ${us(end.minor - start.minor).padStart(8)} + ${us(end.other - start.other)} µs`;
    };
    let wholeTotal = 0;
    let restTotal = 0;
    for (const name of cpuAtEnd.keys()) {
      const stage = cpuBetween(cpuAtStart, cpuAtConnector, name);
      const whole = cpuBetween(cpuAtPipelineStart, cpuAtEnd, name);
      const atRest = restPerSecond(name);
      if (name !== BROKER_JIT) {
        wholeTotal += whole;
        if (!Number.isNaN(atRest)) restTotal += atRest;
      }
      const restColumn = Number.isNaN(atRest) ? ''.padStart(15) : `${atRest.toFixed(3).padStart(13)} s`;
      log(
        `  ${name.padEnd(22)} ${stage.toFixed(1).padStart(15)} ${whole.toFixed(1).padStart(12)} ${((whole * 1e6) / total).toFixed(0).padStart(12)} µs ${restColumn}${gcPerEvent(name)}`,
      );
    }
    const cores = os.cpus().length;
    log(
      `  ${'all of them'.padEnd(22)} ${''.padStart(15)} ${wholeTotal.toFixed(1).padStart(12)} ${((wholeTotal * 1e6) / total).toFixed(0).padStart(12)} µs: on ${cores} cores, at most ${fmt((cores * total) / wholeTotal)} events/s end to end at this cost`,
    );
    if (rest) {
      // What the platform burns per second whatever flows (polls, heartbeats, timers, the broker's background
      // threads) is part of each event's figure in proportion to the round's length; under load some of it gives
      // way to the work, so this is an upper bound of that part.
      const atRest = restTotal * (endMs / 1000);
      log(
        `  at rest every process together used ${restTotal.toFixed(2)} CPU s per second: over the end-to-end round's ${seconds(endMs)} s, up to ${((atRest * 1e6) / total).toFixed(0)} µs of the ${((wholeTotal * 1e6) / total).toFixed(0)} µs per event`,
      );
    }
    // On a machine shared with other work, a process waits for a core as long as it computes: CPU time per event
    // compares the work done, whatever the load (database and broker time not included on either side).
    const perEvent = (cpu: number, n: number) => `${((cpu * 1e6) / n).toFixed(0).padStart(5)} µs/event`;
    log('');
    const connectorGc = (() => {
      const end = gcAtConnector.get('connector');
      const start = gcAtStart.get('connector');
      return end && start
        ? ` (GC pauses ${perEvent(end.minor + end.other - start.minor - start.other, total).trim()})`
        : '';
    })();
    log(`CPU per event: connector process ${perEvent(connectorCpu, total)} during its stage${connectorGc};`);
    log(
      `               raw consume       ${perEvent(rawCpu, records)}, parse+validate+insert ${perEvent(pviCpu, records)}`,
    );
    log(
      `               connector / parse+validate+insert CPU: ${(connectorCpu / total / (pviCpu / records)).toFixed(2)}x`,
    );
  }
  log('');
  if (statements) {
    log(
      "Postgres by statement in the end-to-end round (pg_stat_statements: each statement's share of the statements' time, under the run's own load, without reading parameters):",
    );
    for (const st of statements) {
      log(
        `  ${(100 * st.share).toFixed(1).padStart(5)}%  ${st.calls.toString().padStart(6)} calls ${st.rows.toString().padStart(7)} rows  ${st.query.slice(0, 110)}`,
      );
    }
  } else {
    log(
      'Postgres by statement: not measured (pg_stat_statements is not loaded on this server: shared_preload_libraries)',
    );
  }
  if (batches.length > 0) {
    log('');
    log(
      "records per handled run and offset commits sent, the whole benchmark (mash_consumer_batch_size and mash_consumer_offset_commits_total, from each deployable's /metrics):",
    );
    for (const b of batches)
      log(
        `  ${b.group.padEnd(40)} ${b.runs.toString().padStart(6)} runs, mean ${b.mean.toFixed(1)}, ${b.commits} offset commits`,
      );
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
