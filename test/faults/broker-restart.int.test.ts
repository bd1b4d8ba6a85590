import { Kafka, logLevel, type Admin } from 'kafkajs';
import { Client } from 'pg';
import { randomBytes } from 'node:crypto';
import { kafkaSecurity } from '@mash/kafka';
import { createLogger } from '@mash/service-kit';
import { topics } from '@mash/schema';
import { startDemoPlatform, type DemoPlatform } from '@test/support/demo-platform';
import { eventually } from '@test/support/gateway-client';
import {
  expectEachAppliedOnce,
  expectHealthy as expectAllHealthy,
  registerLoadSubjects,
  steadyLoad,
  SteadyPublisher,
  waitUntilDrained,
} from '@test/support/steady-load';
import { startTestBroker, type TestBroker } from '@test/support/test-broker';
import { DEMO_SOURCE_SYSTEMS } from '../../scripts/lib/demo-source-systems';

// The broker stopped and restarted under load loses nothing and applies nothing twice. On a broker of its own
// (stopping the shared test broker would fail every other test), the whole platform takes a steady stream of valid
// agency events; the broker goes down in the middle (a controlled shutdown, then a SIGKILL), stays down for
// several seconds while the connector, the consumers, the outbox relays and the publisher keep trying, and comes
// back with the same data. Once every group has no lag and every outbox is empty: each event stored once, each
// status change on the timeline once, each escalation raised once, nothing dead-lettered, every service healthy.
// RESTART_TEST_DEBUG=1 prints when each consumer crashed, restarted and joined again, and a summary of the warnings.

/** Subjects, events per subject: every subject registered, one in ten with the threshold disagreement. */
const SUBJECTS = 200;
const EVENTS_PER_SUBJECT = 10;
const TOTAL = SUBJECTS * EVENTS_PER_SUBJECT;
const DOWN_MS = 5_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The test's own broker: TEST_KAFKA_FAULT_PORT, else the slot after the shared broker's (TEST_KAFKA_PORT + 10). */
function faultBrokerPorts(): { port: number; controllerPort: number } {
  const shared = Number(process.env['TEST_KAFKA_PORT'] || 19092);
  const sharedController = Number(process.env['TEST_KAFKA_CONTROLLER_PORT'] || 19093);
  const port = Number(process.env['TEST_KAFKA_FAULT_PORT'] || shared + 10);
  const controllerPort = Number(process.env['TEST_KAFKA_FAULT_CONTROLLER_PORT'] || sharedController + 10);
  return { port, controllerPort };
}

describe('the broker stopped and restarted under load', () => {
  let broker: TestBroker;
  let platform: DemoPlatform;
  let db: Client;
  /** What the platform logs at warn and above: shown when a case fails (why a stage did not resume). */
  const lines: string[] = [];
  const count = async (sql: string, params: unknown[] = []) =>
    Number(((await db.query(sql, params)).rows[0] as { n: string }).n);

  beforeAll(async () => {
    broker = await startTestBroker({
      ...faultBrokerPorts(),
      principals: DEMO_SOURCE_SYSTEMS.map((s) => s.principal),
    });
    platform = await startDemoPlatform({
      broker: broker.broker,
      families: ['police', 'la-children'],
      logger: createLogger('platform', {
        level: process.env['RESTART_TEST_DEBUG'] ? 'info' : 'warn',
        destination: { write: (line: string) => void lines.push(line) },
      }),
    });
    db = new Client({ connectionString: platform.db.url, application_name: 'broker-restart-test' });
    await db.connect();
  }, 180_000);

  afterAll(async () => {
    await db?.end().catch(() => undefined);
    await platform?.stop();
    await broker?.release();
  });

  it.each([['SIGTERM' as const], ['SIGKILL' as const]])(
    'loses nothing and applies nothing twice (%s)',
    async (signal) => {
      const run = randomBytes(3).toString('hex').toUpperCase();
      const { prefix } = platform;
      const names = topics(prefix);
      let publisher: SteadyPublisher | undefined;
      let admin: Admin | undefined;
      const t0 = Date.now();
      const marks: string[] = [];
      const mark = (what: string) => marks.push(`${what} ${((Date.now() - t0) / 1000).toFixed(1)}s`);
      const logged = lines.length;
      try {
        const load = steadyLoad({
          tag: 'restart',
          letter: 'R',
          run,
          subjects: SUBJECTS,
          eventsPerSubject: EVENTS_PER_SUBJECT,
        });
        await registerLoadSubjects(platform.platform.gatewayUrl, load, 'Restart test child');
        mark('registered');
        const { events } = load;
        expect(events).toHaveLength(TOTAL);
        const ofRun = `%restart-${run}-%`;
        const storedOfRun = () =>
          count(`SELECT count(*) AS n FROM "ingest"."raw_event" WHERE "event_id" LIKE $1`, [ofRun]);

        publisher = new SteadyPublisher(
          { brokers: broker.broker.brokers, principalOf: (code) => broker.broker.principals.others[code] },
          names,
          prefix,
        );
        const publishing = publisher.publish(events);
        publishing.catch(() => undefined);

        // Down while batches are in flight: some events stored, more arriving.
        await eventually(async () => ((await storedOfRun()) >= 200 ? true : undefined), {
          what: 'the connector to have stored some events',
          timeoutMs: 60_000,
          intervalMs: 50,
        });
        const storedBefore = await storedOfRun();
        mark('halting');
        await broker.halt(signal);
        mark('down');
        await sleep(DOWN_MS);
        // Nothing crashed or exited while the broker was away: every service still answers.
        await expectHealthy(platform);
        const ackedWhileDown = publisher.acknowledged;
        await broker.restart();
        mark('up');

        await publishing;
        mark('published');
        expect(publisher.acknowledged).toBe(TOTAL);
        expect(storedBefore).toBeLessThan(TOTAL);
        expect(ackedWhileDown).toBeLessThan(TOTAL);

        admin = new Kafka({
          clientId: `${prefix}restart-check`,
          brokers: broker.broker.brokers,
          logLevel: logLevel.NOTHING,
          ...kafkaSecurity(broker.broker.principals.admin),
        }).admin();
        await admin.connect();
        await waitUntilDrained({
          admin,
          db,
          prefix,
          names,
          wake: () => platform.platform.wakeScheduler(),
          mark,
        });

        // Each event stored once, each status change on its timeline once, each disagreement raised once,
        // nothing dead-lettered, every outbox empty.
        await expectEachAppliedOnce({ admin, db, names, load });

        // Still serving afterwards.
        await expectHealthy(platform);
        process.stdout.write(
          `${signal}: ${storedBefore} of ${TOTAL} events stored before the broker went down, ` +
            `${publisher.failedSends} sends retried by the publisher; ${marks.join(', ')}\n`,
        );
      } catch (err) {
        process.stdout.write(
          `${signal}: ${marks.join(', ')}; platform log lines:\n${lines.slice(logged).slice(-80).join('')}\n`,
        );
        throw err;
      } finally {
        await admin?.disconnect().catch(() => undefined);
        await publisher?.stop();
        if (process.env['RESTART_TEST_DEBUG']) {
          const summary = new Map<string, number>();
          for (const l of lines.slice(logged)) {
            const r = JSON.parse(l) as {
              msg?: string;
              component?: string;
              level?: number;
              time?: number;
              groupId?: string;
            };
            if (r.msg === 'joined group' || r.msg?.startsWith('Restarting') || r.msg?.startsWith('Crash'))
              process.stdout.write(
                `  ${((Number(r.time) - t0) / 1000).toFixed(1)}s ${r.groupId ?? ''} ${r.msg}\n`,
              );
            if ((r.level ?? 0) < 40) continue;
            const k = `${r.level} ${r.component} ${r.msg}`;
            summary.set(k, (summary.get(k) ?? 0) + 1);
          }
          process.stdout.write(
            `${signal} log summary:\n${[...summary].map(([k, n]) => `  ${n} × ${k}`).join('\n')}\n`,
          );
        }
      }
    },
    150_000,
  );
});

/** /health (alive) and /ready (its dependencies answer) of every subgraph, the connector and the gateway. */
async function expectHealthy(platform: DemoPlatform): Promise<void> {
  const { subgraphUrls, gatewayUrl } = platform.platform;
  await expectAllHealthy([...Object.values(subgraphUrls), gatewayUrl]);
}
