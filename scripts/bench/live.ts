import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { Kafka, logLevel } from 'kafkajs';
import { kafkaSecurity } from '@mash/kafka';
import { createLogger, signDevToken } from '@mash/service-kit';
import { Demo, topics, type EscalationEventMessage, type Role } from '@mash/schema';
import { benchDatabase, benchJwt, benchKafka, benchMashOfficerToken, startBenchPlatform } from './infra';
import { seedEscalations } from './seed';

/**
 * `npm run bench:live`: N concurrent subscribers (default 1,000) over 10 access scopes watch escalation changes
 * through the gateway while escalations are raised through the real pipeline. Reports the latency from the
 * escalation event's arrival on Kafka to its delivery at every subscriber (p50, p99) and the gateway's heap per
 * idle subscriber. Targets on a 2-core machine: p99 under 1 s; under 50 KB per idle subscriber.
 */

const SCOPES: { roles: Role[]; agency?: string }[] = [
  { roles: ['mash-officer'], agency: Demo.agencies.laChildren },
  { roles: ['mash-officer'], agency: Demo.agencies.police },
  { roles: ['mash-officer'], agency: Demo.agencies.health },
  { roles: ['partnership-chair'], agency: Demo.agencies.partnership },
  { roles: ['practitioner'], agency: Demo.agencies.police },
  { roles: ['practitioner'], agency: Demo.agencies.laChildren },
  { roles: ['line-manager'], agency: Demo.agencies.police },
  { roles: ['line-manager'], agency: Demo.agencies.laChildren },
  { roles: ['head-of-service'], agency: Demo.agencies.police },
  { roles: ['designated-safeguarding-lead'], agency: Demo.agencies.health },
];

function options() {
  const { values } = parseArgs({
    options: {
      subscribers: { type: 'string' },
      escalations: { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  return {
    help: values.help ?? false,
    subscribers: Number(values.subscribers ?? 1000),
    escalations: Number(values.escalations ?? 20),
  };
}

const percentile = (sorted: number[], p: number) =>
  sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

function heapAfterGc(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) {
    gc();
    gc();
  }
  return process.memoryUsage().heapUsed;
}

async function main(): Promise<void> {
  const opts = options();
  if (opts.help) {
    process.stdout.write('npm run bench:live -- [--subscribers 1000] [--escalations 20]\n');
    return;
  }
  const log = (line: string) => process.stdout.write(`${line}\n`);
  const stops: (() => Promise<void>)[] = [];
  try {
    const logger = createLogger('bench', 'warn');
    const runId = randomBytes(4).toString('hex');
    const db = await benchDatabase();
    stops.unshift(db.stop);
    const kafka = await benchKafka();
    stops.unshift(kafka.stop);
    const jwt = benchJwt();
    const topicPrefix = `live${runId}.`;
    const platform = await startBenchPlatform(db, kafka, {
      jwt,
      logger,
      topicPrefix,
    });
    stops.unshift(platform.stop);
    await platform.liveReady;

    // When each escalation event reached Kafka (the record's timestamp), read by a plain consumer.
    const arrivedOnKafka = new Map<string, number>();
    const watcher = new Kafka({
      clientId: 'bench-live',
      brokers: kafka.value.brokers,
      logLevel: logLevel.NOTHING,
      ...kafkaSecurity(kafka.value.auth),
    }).consumer({
      groupId: `${topicPrefix}bench-watcher`,
    });
    await watcher.connect();
    stops.unshift(() => watcher.disconnect());
    await watcher.subscribe({ topic: topics(topicPrefix).escalationEvents, fromBeginning: true });
    await watcher.run({
      eachMessage: async ({ message }) => {
        const e = JSON.parse(message.value!.toString()) as EscalationEventMessage;
        if (e.type === 'raised' && !arrivedOnKafka.has(e.escalationId)) {
          arrivedOnKafka.set(e.escalationId, Number(message.timestamp));
        }
      },
    });

    const heapBefore = heapAfterGc();
    const tokens = Array.from({ length: opts.subscribers }, (_, i) => {
      const scope = SCOPES[i % SCOPES.length]!;
      return signDevToken(
        jwt,
        {
          sub: `bench-subscriber-${i}`,
          roles: scope.roles,
          partnership: Demo.partnershipId,
          ...(scope.agency && { agency: scope.agency }),
        },
        3600,
      );
    });
    const worker = new Worker(path.join(__dirname, 'live-clients.js'), {
      workerData: {
        url: platform.gatewayUrl.replace(/^http/, 'ws'),
        tokens,
        partnershipId: Demo.partnershipId,
      },
    });
    stops.unshift(
      () =>
        new Promise<void>((resolve) => {
          worker.once('message', () => void worker.terminate().then(() => resolve()));
          worker.postMessage({ kind: 'close' });
        }),
    );
    const ask = <T>(kind: string) =>
      new Promise<T>((resolve) => {
        const on = (m: { kind: string } & T) => {
          if (m.kind === kind) {
            worker.off('message', on);
            resolve(m);
          }
        };
        worker.on('message', on);
        if (kind === 'report') worker.postMessage({ kind: 'report' });
      });
    const connectStarted = Date.now();
    await ask<{ subscribed: number }>('connected');
    while (platform.liveSubscribers() < opts.subscribers) await new Promise((r) => setTimeout(r, 100));
    log(
      `${opts.subscribers} subscribers over ${SCOPES.length} access scopes (connected in ${Date.now() - connectStarted} ms)`,
    );
    await new Promise((r) => setTimeout(r, 1000));
    const heapIdle = heapAfterGc();
    const perSubscriber = (heapIdle - heapBefore) / opts.subscribers;

    log(`raising ${opts.escalations} escalations through the pipeline…`);
    const admin = benchMashOfficerToken(jwt);
    await seedEscalations(
      {
        gatewayUrl: platform.gatewayUrl,
        token: admin,
        brokers: kafka.value.brokers,
        ...(kafka.value.auth && { auth: kafka.value.auth }),
        topicPrefix,
        count: opts.escalations,
        runId,
      },
      () => undefined,
    );
    // Let the last deliveries land: until the counts stop growing for two seconds.
    let last = -1;
    let report = await ask<{ arrivals: [string, number[]][] }>('report');
    for (;;) {
      const total = report.arrivals.reduce((n, [, a]) => n + a.length, 0);
      if (total === last) break;
      last = total;
      await new Promise((r) => setTimeout(r, 2000));
      report = await ask<{ arrivals: [string, number[]][] }>('report');
    }

    const latencies: number[] = [];
    const perEventMax: number[] = [];
    let deliveries = 0;
    for (const [escalationId, times] of report.arrivals) {
      const onKafka = arrivedOnKafka.get(escalationId);
      if (onKafka === undefined) continue;
      const ls = times.map((t) => t - onKafka);
      latencies.push(...ls);
      perEventMax.push(Math.max(...ls));
      deliveries += times.length;
    }
    latencies.sort((a, b) => a - b);
    perEventMax.sort((a, b) => a - b);
    const visibleScopes = SCOPES.filter((s) => !s.roles.includes('designated-safeguarding-lead')).length;

    log('');
    log(`date:    ${new Date().toISOString()}`);
    log(
      `machine: ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}; load ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    );
    log(
      `subscribers: ${opts.subscribers} over ${SCOPES.length} access scopes; escalations raised: ${report.arrivals.length}/${opts.escalations}`,
    );
    log(
      `deliveries: ${deliveries} (subscribers in the ${visibleScopes} scopes that may see the escalations, once per escalation)`,
    );
    log(
      `latency, escalation event on Kafka → delivered: p50 ${percentile(latencies, 50)} ms, p99 ${percentile(latencies, 99)} ms, max ${latencies.at(-1)} ms   (target p99 < 1000 ms)`,
    );
    log(
      `time until every subscriber had an event: p50 ${percentile(perEventMax, 50)} ms, p99 ${percentile(perEventMax, 99)} ms`,
    );
    log(`gateway heap per idle subscriber: ${(perSubscriber / 1024).toFixed(1)} KB   (target < 50 KB)`);
  } finally {
    for (const stop of stops) await stop().catch(() => undefined);
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`bench:live failed: ${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  },
);
