import os from 'node:os';
import { parseArgs } from 'node:util';
import type { EntityManager } from 'typeorm';
import { openDatabase, silentLogger, type AgencyDirectory, type DataSource } from '@mash/service-kit';
import { AUTOMATIC_GROUNDS, Demo, mkTogetherPolicy, type CaseSnapshot } from '@mash/schema';
import {
  calendarFor,
  claimDueTimerBatch,
  claimDueTimers,
  ClockScheduler,
  escalationsEntities,
  escalationsMigrations,
  markFired,
  runGround,
  runRules,
  type FireOutcome,
  type RuleContext,
} from '@mash/escalations';
import { benchDatabase, type BenchStop } from './infra';
import { BENCH_AGENCIES, benchSnapshots } from './rule-snapshots';

/**
 * `npm run bench:rules`: how fast the automatic grounds' rules evaluate realistic case snapshots (pure, in this
 * process), and how long one clock sweep takes over N open escalations whose timers are partly due, in the real
 * escalations schema on PostgreSQL: finding the due timers, claiming them, and firing them (moving each escalation
 * to its next stage) with the real scheduler.
 */

const HELP = `npm run bench:rules -- [options]

  --snapshots N    distinct case snapshots the rules evaluate (default 2000)
  --seconds S      seconds of rule evaluation per measurement (default 5)
  --escalations N  open escalations in the database, one stage timer each (default 100000)
  --due N          of which this many have a stage deadline already passed (default 1000)
  --help           this text

Environment: DATABASE_URL (else a throwaway database on 127.0.0.1:5432, else an embedded PostgreSQL).`;

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
      snapshots: { type: 'string' },
      seconds: { type: 'string' },
      escalations: { type: 'string' },
      due: { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  const escalations = positiveInt('escalations', values.escalations, 100_000);
  const due = positiveInt('due', values.due, 1_000);
  if (due > escalations) throw new Error('--due cannot exceed --escalations');
  return {
    help: values.help ?? false,
    snapshots: positiveInt('snapshots', values.snapshots, 2_000),
    seconds: positiveInt('seconds', values.seconds, 5),
    escalations,
    due,
  };
}

const log = (line: string) => process.stdout.write(`${line}\n`);
const ms = (n: number) => `${n.toFixed(n < 10 ? 2 : 0)} ms`;
const perSecond = (n: number) => Math.round(n).toLocaleString('en-GB');

/** Runs `evaluate` over the snapshots, round and round, for `seconds`; evaluations per second. */
function rate(snapshots: readonly CaseSnapshot[], seconds: number, evaluate: (s: CaseSnapshot) => number) {
  let evaluations = 0;
  let findings = 0;
  const started = process.hrtime.bigint();
  const until = started + BigInt(seconds) * 1_000_000_000n;
  while (process.hrtime.bigint() < until) {
    for (const s of snapshots) findings += evaluate(s);
    evaluations += snapshots.length;
  }
  const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
  return { perSecond: evaluations / elapsed, findingsPerEvaluation: findings / evaluations };
}

function benchRules(count: number, seconds: number): void {
  const now = new Date('2026-11-30T12:00:00.000Z');
  const policy = mkTogetherPolicy();
  const ctx: RuleContext = { now, calendar: calendarFor(policy.calendar), agencies: BENCH_AGENCIES };
  const snapshots = benchSnapshots(count, now);
  const signals = snapshots.map((s) => s.signals?.length ?? 0);
  const actions = snapshots.map((s) => (s.plans ?? []).reduce((n, p) => n + p.actions.length, 0));
  log(
    `rules: ${count} snapshots (4 agencies involved; signals ${Math.min(...signals)}–${Math.max(...signals)}, ` +
      `plan actions ${Math.min(...actions)}–${Math.max(...actions)}; ` +
      `${snapshots.filter((s) => s.childProtection).length} with a child protection process), ${seconds} s each`,
  );
  rate(snapshots, 1, (s) => runRules(s, policy, ctx).length); // warm-up
  const all = rate(snapshots, seconds, (s) => runRules(s, policy, ctx).length);
  log(
    `  all four rules: ${perSecond(all.perSecond)} snapshot evaluations/s ` +
      `(${(1e6 / all.perSecond).toFixed(1)} µs each, ${all.findingsPerEvaluation.toFixed(2)} findings each)`,
  );
  for (const ground of AUTOMATIC_GROUNDS) {
    const one = rate(
      snapshots,
      Math.max(1, Math.round(seconds / 2)),
      (s) => runGround(s, policy, ground, ctx).length,
    );
    log(`  ${ground.padEnd(24)} ${perSecond(one.perSecond).padStart(10)} evaluations/s`);
  }
}

/** A directory serving MK Together's policy and agencies, as the agencies subgraph would (no network in the sweep). */
const directory: AgencyDirectory = {
  sourceSystem: async () => null,
  policy: async () => mkTogetherPolicy(),
  agencies: async () => BENCH_AGENCIES,
};

/** N open escalations at stage 1 (four grounds), each with its stage timer; `due` of them past their deadline. */
async function seedSweep(ds: DataSource, n: number, due: number, now: Date): Promise<void> {
  const A = Demo.agencies;
  await ds.query(
    `INSERT INTO "escalations"."escalation" ("id", "case_id", "partnership_id", "ground", "raising_agency_id",
       "receiving_agency_id", "stage", "status", "stage_started_at", "stage_deadline", "stage_owner_roles",
       "auto_raised", "raised_at")
     SELECT md5('bench-escalation-' || i)::uuid, 'bench-case-' || i, $1,
            (ARRAY['threshold-disagreement', 'stalled-plan', 'disengagement', 'increasing-risk'])[1 + i % 4],
            CASE WHEN i % 4 = 2 THEN $3 ELSE $2 END, $4, 1, 'AWAITING_ACKNOWLEDGEMENT',
            d - interval '7 days', d, '{practitioner}', true, d - interval '7 days'
       FROM (SELECT i, CASE WHEN i <= $5 THEN $6::timestamptz - i * interval '1 second'
                            ELSE $6::timestamptz + (1 + i % 10) * interval '1 day' + i * interval '1 second' END AS d
               FROM generate_series(1, $7) AS i) s`,
    [Demo.partnershipId, A.police, A.health, A.laChildren, due, now, n],
  );
  await ds.query(
    `INSERT INTO "escalations"."escalation_transition" ("escalation_id", "at", "from_stage", "to_stage",
       "from_status", "to_status", "actor", "rationale")
     SELECT "id", "raised_at", NULL, 1, NULL, 'AWAITING_ACKNOWLEDGEMENT', 'system', 'Raised automatically (bench).'
       FROM "escalations"."escalation"`,
  );
  // The stage timer of every open escalation (waiting), the fired stage timers of earlier stages, and waiting
  // finding timers of cases whose findings are not yet due: the table a sweep reads through its partial index.
  await ds.query(
    `INSERT INTO "escalations"."timer" ("id", "kind", "key", "due_at", "payload")
     SELECT md5('stage-' || "id")::uuid, 'stage-deadline', 'stage:' || "id" || ':1', "stage_deadline",
            jsonb_build_object('escalationId', "id", 'partnershipId', "partnership_id", 'stage', 1)
       FROM "escalations"."escalation"`,
  );
  await ds.query(
    `INSERT INTO "escalations"."timer" ("id", "kind", "key", "due_at", "payload", "fired_at")
     SELECT md5('fired-' || "id")::uuid, 'stage-deadline', 'stage:' || "id" || ':0', "raised_at",
            jsonb_build_object('escalationId', "id", 'partnershipId', "partnership_id", 'stage', 0), "raised_at"
       FROM "escalations"."escalation"`,
  );
  await ds.query(
    `INSERT INTO "escalations"."timer" ("id", "kind", "key", "due_at", "payload")
     SELECT md5('grace-' || i)::uuid, 'grace', 'grace:bench-waiting-' || i || ':threshold-disagreement:p:l',
            $1::timestamptz + (1 + i % 5) * interval '1 day',
            jsonb_build_object('caseId', 'bench-waiting-' || i, 'partnershipId', $2::text,
                               'ground', 'threshold-disagreement')
       FROM generate_series(1, $3) AS i`,
    [now, Demo.partnershipId, Math.floor(n / 2)],
  );
  await ds.query(
    'ANALYZE "escalations"."escalation", "escalations"."timer", "escalations"."escalation_transition"',
  );
}

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = process.hrtime.bigint();
  const value = await work();
  return { ms: Number(process.hrtime.bigint() - started) / 1e6, value };
}

/** A transaction whose work is undone: the measurement leaves the timers as they were. */
async function rolledBack<T>(ds: DataSource, work: (m: EntityManager) => Promise<T>): Promise<T> {
  const runner = ds.createQueryRunner();
  await runner.connect();
  await runner.startTransaction();
  try {
    return await work(runner.manager);
  } finally {
    await runner.rollbackTransaction();
    await runner.release();
  }
}

async function benchSweep(n: number, due: number, stops: BenchStop[]): Promise<void> {
  const db = await benchDatabase();
  stops.push({ what: 'database', stop: db.stop });
  log(`\nclock sweep: ${db.description}`);
  const ds = await openDatabase({
    url: db.value,
    schema: 'escalations',
    entities: escalationsEntities,
    migrations: escalationsMigrations,
    applicationName: 'bench-rules',
  });
  stops.push({ what: 'escalations data source', stop: () => ds.destroy() });
  const now = new Date('2026-11-30T12:00:00.000Z');
  const seeded = await timed(() => seedSweep(ds, n, due, now));
  const [{ waiting, fired }] = (await ds.query(
    `SELECT count(*) FILTER (WHERE "fired_at" IS NULL) AS waiting, count(*) FILTER (WHERE "fired_at" IS NOT NULL) AS fired
       FROM "escalations"."timer"`,
  )) as [{ waiting: string; fired: string }];
  log(
    `  ${n.toLocaleString('en-GB')} open escalations; timers: ${Number(waiting).toLocaleString('en-GB')} waiting ` +
      `(${due.toLocaleString('en-GB')} due), ${Number(fired).toLocaleString('en-GB')} fired; seeded in ${ms(seeded.ms)}`,
  );
  const plan = (await ds.query(
    `EXPLAIN SELECT "id" FROM "escalations"."timer" WHERE "fired_at" IS NULL AND "due_at" <= $1
      ORDER BY "due_at" LIMIT 50 FOR UPDATE SKIP LOCKED`,
    [now],
  )) as { 'QUERY PLAN': string }[];
  log(
    `  plan: ${plan.map((r) => r['QUERY PLAN'].trim()).find((l) => l.includes('Index')) ?? plan[0]!['QUERY PLAN']}`,
  );

  const lease = new Date(now.getTime() + 300_000);
  // 1. The scheduler's claim: one statement finds and claims a batch of 50 (median of 21, each rolled back).
  const batch: number[] = [];
  for (let i = 0; i < 21; i++) {
    batch.push((await timed(() => rolledBack(ds, (m) => claimDueTimerBatch(m, now, lease, 50)))).ms);
  }
  batch.sort((a, b) => a - b);
  log(`  find and claim one batch of 50 due timers (one statement): ${ms(batch[10]!)} (median of 21)`);

  // 2. Every due timer, claimed in batches of 50 as a sweep claims them, each batch committed.
  const sweepClaims = await timed(async () => {
    let claimed = 0;
    for (;;) {
      const got = await ds.transaction((m) => claimDueTimerBatch(m, now, lease, 50));
      claimed += got.length;
      if (got.length < 50) return claimed;
    }
  });
  log(
    `  find and claim all ${sweepClaims.value.toLocaleString('en-GB')} due timers, 50 per statement: ${ms(sweepClaims.ms)}`,
  );
  await ds.query(`UPDATE "escalations"."timer" SET "claimed_until" = NULL WHERE "claimed_until" IS NOT NULL`);

  // 3. All at once, in one statement.
  const all = await timed(() => rolledBack(ds, (m) => claimDueTimerBatch(m, now, lease, due + 1)));
  log(
    `  find and claim all ${all.value.length.toLocaleString('en-GB')} due timers in one statement: ${ms(all.ms)}`,
  );

  // For comparison, the scheduler's claim before the batch claim: one timer per transaction, marked fired.
  const oneByOne = await timed(async () => {
    let claimed = 0;
    for (;;) {
      const got = await ds.transaction(async (m) => {
        const [t] = await claimDueTimers(m, now, 1);
        if (t) await markFired(m, t.id, now);
        return t !== undefined;
      });
      if (!got) return claimed;
      claimed++;
    }
  });
  log(
    `  (before: one per transaction, marked fired: ${ms(oneByOne.ms)} for ` +
      `${oneByOne.value.toLocaleString('en-GB')}, ${(oneByOne.ms / Math.max(1, oneByOne.value)).toFixed(2)} ms each)`,
  );
  await ds.query(
    `UPDATE "escalations"."timer" SET "fired_at" = NULL WHERE "kind" = 'stage-deadline' AND "fired_at" = $1`,
    [now],
  );

  // 4. The whole sweep with the real scheduler: each due escalation moves to stage 2 with its history, its next
  // stage timer and its outbox event, one transaction per timer.
  const scheduler = new ClockScheduler({
    dataSource: ds,
    directory,
    clock: { now: () => now },
    topic: 'bench.escalation-events',
    logger: silentLogger(),
  });
  const outcomes = new Map<FireOutcome, number>();
  const sweep = await timed(async () => {
    for (;;) {
      const fired = await scheduler.runOnce();
      for (const o of fired) outcomes.set(o, (outcomes.get(o) ?? 0) + 1);
      if (fired.length < 50) return;
    }
  });
  const moved = [...outcomes].map(([o, k]) => `${k.toLocaleString('en-GB')} ${o}`).join(', ');
  const total = [...outcomes.values()].reduce((a, b) => a + b, 0);
  log(
    `  full sweep with the scheduler (claim, move to stage 2, history, next timer, outbox): ${ms(sweep.ms)} ` +
      `(${moved || 'nothing fired'}; ${perSecond((total / sweep.ms) * 1000)} timers/s)`,
  );
  const [left] = (await ds.query(
    `SELECT count(*) AS n FROM "escalations"."timer" WHERE "fired_at" IS NULL AND "due_at" <= $1`,
    [now],
  )) as [{ n: string }];
  if (Number(left.n) !== 0) throw new Error(`${left.n} due timers left after the sweep`);
  // The next sweep finds nothing: what a second instance, or the next tick, pays.
  const idle = await timed(() => scheduler.runOnce());
  log(`  next sweep, nothing due: ${ms(idle.ms)}`);
}

async function main(): Promise<void> {
  const opts = options();
  if (opts.help) {
    log(HELP);
    return;
  }
  log(
    `bench:rules on ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ` +
      `Node ${process.version}, load average ${os.loadavg()[0]!.toFixed(1)}, ${new Date().toISOString()}`,
  );
  benchRules(opts.snapshots, opts.seconds);
  const stops: BenchStop[] = [];
  try {
    await benchSweep(opts.escalations, opts.due, stops);
  } finally {
    for (const s of stops.reverse())
      await s.stop().catch((err: unknown) => log(`stopping ${s.what}: ${String(err)}`));
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:rules failed: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
