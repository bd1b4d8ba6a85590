import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { Client } from 'pg';
import { createLogger } from '@mash/service-kit';
import { schemaFiles } from '../lib/compose';
import { type BenchStop, benchInfra, benchJwt, benchMashOfficerToken, startBenchPlatform } from './infra';
import { runRounds, summarise, table, type LoadTarget } from './load';
import { seedEscalations } from './seed';
import { startHiveGateway, startStockApolloGateway } from './stock-gateways';

/**
 * `npm run bench:gateway`: the project's gateway against a stock Apollo Gateway and Hive Gateway, in one run, on
 * the same four subgraphs and data (real PostgreSQL and Kafka, the demo partnership plus N open escalations raised
 * through the real pipeline), with the README's board query and a MASH officer's token.
 */

// The whole board on one page: `first` comes as a variable (500, the most a page holds), as a board would send it.
const QUERY =
  'query Board($first: Int) { escalations(partnershipId: "0b9f8a1e-2c1d-4f7a-9f51-1a2b3c4d5e01", first: $first) ' +
  '{ nodes { id ground stage status stageDeadline ' +
  'raisingAgency { name } receivingAgency { name } stageOwners { name role } ' +
  'case { subject { identifiers { system value } } } } } }';

const HELP = `npm run bench:gateway -- [options]

  --escalations N   open escalations to seed for the demo partnership (default 200)
  --connections N   concurrent connections (default 20)
  --duration S      seconds per gateway per round (default 15)
  --warmup S        warm-up seconds before each measured run (default 3)
  --rounds N        interleaved rounds (default 3)
  --audit-compare   instead of the three gateways, compare the project gateway over subgraphs that write the
                    audit trail with the same over subgraphs that do not (same database and data; target ≥ 0.8x)
  --no-share-operations
                    the project gateway without sharing whole identical queries in flight (its shared subgraph
                    calls only)
  --json FILE       also write the settings, machine and results to FILE
  --help            this text

Environment: DATABASE_URL (else a throwaway database on 127.0.0.1:5432, else an embedded PostgreSQL),
KAFKA_BROKERS (else a broker is started), LOG_LEVEL (default warn).`;

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
      escalations: { type: 'string' },
      connections: { type: 'string' },
      duration: { type: 'string' },
      warmup: { type: 'string' },
      rounds: { type: 'string' },
      json: { type: 'string' },
      'audit-compare': { type: 'boolean' },
      'no-share-operations': { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
  return {
    help: values.help ?? false,
    escalations: positiveInt('escalations', values.escalations, 200),
    connections: positiveInt('connections', values.connections, 20),
    duration: positiveInt('duration', values.duration, 15),
    warmup: values.warmup === '0' ? 0 : positiveInt('warmup', values.warmup, 3),
    rounds: positiveInt('rounds', values.rounds, 3),
    json: values.json,
    auditCompare: values['audit-compare'] ?? false,
    shareOperations: !(values['no-share-operations'] ?? false),
  };
}

/** JSON with every object's keys sorted, to compare answers that differ only in key order. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)),
        )
      : v,
  );
}

interface BoardEscalation {
  raisingAgency: { name: string } | null;
  receivingAgency: { name: string } | null;
  stageOwners: { name: string }[] | null;
  case: { subject: { identifiers: { value: string }[] } | null } | null;
}

/** The answer must carry data from all four subgraphs for every escalation, and no errors. */
function checkAnswer(name: string, text: string, expected: number): void {
  const body = JSON.parse(text) as {
    data?: { escalations: { nodes: BoardEscalation[] } };
    errors?: unknown[];
  };
  if (body.errors?.length) throw new Error(`${name} answered with errors: ${JSON.stringify(body.errors)}`);
  const list = body.data?.escalations.nodes ?? [];
  if (list.length < expected)
    throw new Error(`${name} listed ${list.length} escalations, expected ${expected}`);
  const incomplete = list.filter(
    (e) =>
      !e.raisingAgency?.name ||
      !e.receivingAgency?.name ||
      !e.stageOwners?.length ||
      !e.case?.subject?.identifiers.length,
  );
  if (incomplete.length) {
    throw new Error(`${name}: ${incomplete.length} escalations lack agencies, stage owners or identifiers`);
  }
}

const stops: BenchStop[] = [];

async function stopAll(): Promise<void> {
  for (const { what, stop } of stops.reverse()) {
    await stop().catch((err: unknown) => process.stderr.write(`stopping ${what} failed: ${String(err)}\n`));
  }
  stops.length = 0;
}

/** One query on a short-lived connection (the bench's own bookkeeping, not part of the load). */
async function pg(url: string, sql: string): Promise<unknown[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows as unknown[];
  } finally {
    await client.end();
  }
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

  const { db, kafka } = await benchInfra(log, stops);

  const jwt = benchJwt();
  const topicPrefix = `bench${runId}.`;
  const platform = await startBenchPlatform(db, kafka, {
    jwt,
    logger,
    topicPrefix,
    gatewayShareOperations: opts.shareOperations,
  });
  stops.push({ what: 'platform', stop: platform.stop });
  log(
    `subgraphs: ${Object.entries(platform.subgraphUrls)
      .map(([n, u]) => `${n} ${u}`)
      .join(', ')}`,
  );

  const token = benchMashOfficerToken(jwt);

  log(`seeding ${opts.escalations} open escalations through the pipeline…`);
  const seedStarted = Date.now();
  const open = await seedEscalations(
    {
      gatewayUrl: platform.gatewayUrl,
      token,
      brokers: kafka.value.brokers,
      ...(kafka.value.auth && { auth: kafka.value.auth }),
      topicPrefix,
      count: opts.escalations,
      runId,
    },
    log,
  );
  log(
    `${open} open escalations for the demo partnership (seeded in ${((Date.now() - seedStarted) / 1000).toFixed(1)} s)`,
  );

  let gateways: { name: string; url: string }[];
  if (opts.auditCompare) {
    // The same code and database, with the audit trail off: its own topics, so its consumers stay idle.
    const unaudited = await startBenchPlatform(db, kafka, {
      jwt,
      logger,
      topicPrefix: `${topicPrefix}noaudit.`,
      auditEnabled: false,
      schedulerIntervalMs: 60_000,
      gatewayShareOperations: opts.shareOperations,
    });
    stops.push({ what: 'platform without audit', stop: unaudited.stop });
    gateways = [
      { name: 'audit-on', url: platform.gatewayUrl },
      { name: 'audit-off', url: unaudited.gatewayUrl },
    ];
  } else {
    const supergraphSdl = readFileSync(schemaFiles().supergraph, 'utf8');
    const stock = await startStockApolloGateway(supergraphSdl, platform.subgraphUrls);
    stops.push({ what: 'stock Apollo gateway', stop: stock.stop });
    const hive = await startHiveGateway(supergraphSdl, platform.subgraphUrls);
    stops.push({ what: 'Hive gateway', stop: hive.stop });
    gateways = [
      { name: 'project', url: platform.gatewayUrl },
      { name: 'stock', url: stock.url },
      { name: 'hive', url: hive.url },
    ];
  }
  log(`gateways: ${gateways.map((g) => `${g.name} ${g.url}`).join(', ')}`);

  const body = JSON.stringify({ query: QUERY, variables: { first: 500 } });
  const answers: string[] = [];
  for (const g of gateways) {
    const res = await fetch(g.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body,
    });
    const text = await res.text();
    if (res.status !== 200) throw new Error(`${g.name} answered HTTP ${res.status}: ${text.slice(0, 500)}`);
    checkAnswer(g.name, text, open);
    answers.push(text);
  }
  // Apollo Server ends its JSON with a newline and Hive Gateway does not; the bodies are compared without it.
  const bodyOf = (text: string) => text.replace(/\n$/, '');
  const identical = answers.every((a) => a === answers[0]);
  const identicalButNewline = answers.every((a) => bodyOf(a) === bodyOf(answers[0]!));
  const equivalent = answers.every((a) => canonical(JSON.parse(a)) === canonical(JSON.parse(answers[0]!)));
  if (!equivalent) {
    throw new Error(`the gateways' answers differ (${answers.map((a) => a.length).join(' / ')} bytes)`);
  }
  const sizes = `${answers.map((a) => a.length).join(' / ')} bytes, ${open} escalations`;
  const sameness = identical
    ? `byte-identical answers (${sizes})`
    : identicalButNewline
      ? `byte-identical answers apart from the trailing newline Apollo Server adds (${sizes})`
      : `answers JSON-deep-equal after sorting keys, not byte-identical (${sizes})`;
  log(sameness);
  if (!identical) {
    for (const [i, a] of answers.entries()) {
      if (bodyOf(a) === bodyOf(answers[0]!)) continue;
      let at = 0;
      while (at < a.length && a[at] === answers[0]![at]) at++;
      log(`  ${gateways[i]!.name} differs from ${gateways[0]!.name} at byte ${at}:`);
      log(`    ${gateways[0]!.name}: …${JSON.stringify(answers[0]!.slice(Math.max(0, at - 40), at + 40))}…`);
      log(`    ${gateways[i]!.name}: …${JSON.stringify(a.slice(Math.max(0, at - 40), at + 40))}…`);
    }
  }

  const targets: LoadTarget[] = gateways.map((g, i) => ({ ...g, expectBody: answers[i]! }));
  const settings = {
    connections: opts.connections,
    durationSeconds: opts.duration,
    warmupSeconds: opts.warmup,
    rounds: opts.rounds,
    body,
    token,
  };
  log(
    `load: ${opts.rounds} interleaved rounds, ${opts.connections} connections, ${opts.duration} s each ` +
      `after ${opts.warmup} s warm-up; every answer checked byte for byte`,
  );
  const auditRows = async () =>
    Number(
      ((await pg(db.value, `SELECT count(*)::int AS n FROM "audit"."entry"`)) as { n: number }[])[0]?.n ?? 0,
    );
  const auditBefore = await auditRows();
  const results = await runRounds(targets, settings, log);
  const summaries = summarise(
    gateways.map((g) => g.name),
    results,
  );
  if (opts.auditCompare) {
    const [on, off] = summaries;
    const written = (await auditRows()) - auditBefore;
    const onOverOff =
      off!.medianRequestsPerSecond > 0 ? on!.medianRequestsPerSecond / off!.medianRequestsPerSecond : NaN;
    log('');
    log(`date:    ${new Date().toISOString()}`);
    log(
      `machine: ${os.cpus().length} cores, Node ${process.version}; load average ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    );
    log(
      `query:   the README's escalations board query, MASH officer token, ${open} open escalations; ${sameness}`,
    );
    log(`audit entries written during the load: ${written}`);
    log('');
    log(table(summaries));
    log('');
    log(`audit on / audit off: ${onOverOff.toFixed(2)}x   (target ≥ 0.80x)`);
    if (opts.json) {
      await writeFile(
        opts.json,
        `${JSON.stringify({ mode: 'audit-compare', settings: { ...settings, token: undefined, body: undefined, escalations: open, query: QUERY }, auditEntriesWritten: written, summaries, ratio: onOverOff, runs: results }, null, 2)}\n`,
      );
      log(`results written to ${opts.json}`);
    }
    return;
  }
  const [project, stockSummary, hiveSummary] = summaries;
  const ratio = (a: number, b: number) => (b > 0 ? a / b : NaN);
  const vsStock = ratio(project!.medianRequestsPerSecond, stockSummary!.medianRequestsPerSecond);
  const vsHive = ratio(project!.medianRequestsPerSecond, hiveSummary!.medianRequestsPerSecond);
  const machine = `${os.cpus().length} cores (${os.cpus()[0]?.model.trim() ?? 'unknown CPU'}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${os.platform()} ${os.release()}`;
  const date = new Date().toISOString();

  log('');
  log(`date:    ${date}`);
  log(
    `machine: ${machine}; load average at the end ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  log(
    `query:   the README's escalations board query, MASH officer token, ${open} open escalations; ${sameness}`,
  );
  log('');
  log(table(summaries));
  log('');
  log(`project / stock Apollo Gateway: ${vsStock.toFixed(2)}x   (target ≥ 1.5x)`);
  log(`project / Hive Gateway:         ${vsHive.toFixed(2)}x   (target ≥ 1.0x)`);
  log(
    `p99 project ${project!.latencyP99Ms} ms vs Hive ${hiveSummary!.latencyP99Ms} ms ` +
      `(target: no worse than Hive's)`,
  );

  if (opts.json) {
    await writeFile(
      opts.json,
      `${JSON.stringify(
        {
          date,
          machine,
          node: process.version,
          cores: os.cpus().length,
          settings: { ...settings, token: undefined, body: undefined, escalations: open, query: QUERY },
          answers: sameness,
          summaries,
          ratios: { projectOverStock: vsStock, projectOverHive: vsHive },
          runs: results,
        },
        null,
        2,
      )}\n`,
    );
    log(`results written to ${opts.json}`);
  }
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
    process.stderr.write(`bench:gateway failed: ${(err as Error).stack ?? String(err)}\n`);
    await shutdown(1);
  },
);
