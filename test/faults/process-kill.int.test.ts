import { Kafka, type Admin } from 'kafkajs';
import { Client } from 'pg';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { silentLogger, type KafkaAuth } from '@mash/service-kit';
import { topics } from '@mash/schema';
import { testJwt } from '@test/support/auth';
import { createTestDatabase, type TestDatabase } from '@test/support/database';
import { eventually } from '@test/support/gateway-client';
import {
  testBrokers,
  testKafkaAuth,
  testKafkaConfig,
  testPlatformPrincipals,
  testPrincipal,
  uniquePrefix,
} from '@test/support/kafka';
import {
  expectEachAppliedOnce,
  expectHealthy,
  registerLoadSubjects,
  steadyLoad,
  SteadyPublisher,
  waitUntilDrained,
} from '@test/support/steady-load';
import {
  DEPLOYABLE_KINDS,
  startPlatformProcesses,
  type DeployableKind,
  type PlatformProcesses,
} from '../../scripts/lib/platform-processes';
import { nodeFlagsFor } from '../../scripts/lib/node-flags';

// A deployable's process killed under load loses nothing and applies nothing twice. The platform runs as it is
// deployed, one Node process per deployable (`startPlatformProcesses`, forked from the sources under test), on the
// shared test broker and a throwaway database. It takes a steady stream of agency events (3,000 over 300 subjects,
// 30 with the threshold-disagreement story) from publishers that retry until acknowledged; while the pipeline is
// working, the escalations process, then the cases process, then the connector are each SIGKILLed (no chance to
// finish a transaction, commit an offset, relay an outbox row or leave their group) and started again at once with
// the same configuration (same port, same consumer group). Downstream first, so that each is killed while the stage
// before it is still feeding it. Once every group has no lag and every outbox is empty: each event stored once,
// each status change on the timeline once, each disagreement raised once, nothing dead-lettered, every service
// healthy, and no process ended but the three killed.
// A restarted consumer resumes once its killed predecessor's session lapses (`sessionTimeout`, 30 s): the three
// are killed within a few seconds of each other so that they wait it out together. KILL_TEST_DEBUG=1 runs the
// deployables at log level info (their last 80 lines are printed when the case fails).

const SUBJECTS = 300;
const EVENTS_PER_SUBJECT = 10;
const TOTAL = SUBJECTS * EVENTS_PER_SUBJECT;
/** Downstream first: each killed while the stage before it is still working and feeding it. */
const KILLED: readonly DeployableKind[] = ['escalations', 'cases', 'connector'];

describe('a deployable process killed under load', () => {
  let db: TestDatabase;
  let client: Client;
  let platform: PlatformProcesses;
  let admin: Admin;
  const prefix = uniquePrefix();
  const names = topics(prefix);
  /** What the deployables write (warn and above): shown when the case fails. */
  const lines: string[] = [];
  const count = async (sql: string, params: unknown[] = []) =>
    Number(((await client.query(sql, params)).rows[0] as { n: string }).n);

  beforeAll(async () => {
    db = await createTestDatabase();
    const principals = testPlatformPrincipals();
    const auth = testKafkaAuth();
    platform = await startPlatformProcesses(
      {
        databaseUrl: db.url,
        kafkaBrokers: testBrokers(),
        ...(principals ? { kafkaPrincipals: principals } : auth && { kafkaAuth: auth }),
        topicPrefix: prefix,
        jwt: testJwt,
        logger: silentLogger(),
        seedDemo: true,
        schedulerIntervalMs: 200,
        families: ['police', 'la-children'],
      },
      {
        logLevel: process.env['KILL_TEST_DEBUG'] ? 'info' : 'warn',
        output: (kind, chunk) => {
          for (const line of chunk.split('\n').filter(Boolean)) lines.push(`${kind}: ${line}\n`);
        },
      },
    );
    client = new Client({ connectionString: db.url, application_name: 'process-kill-test' });
    await client.connect();
    admin = new Kafka(testKafkaConfig(`${prefix}kill-check`)).admin();
    await admin.connect();
  }, 180_000);

  afterAll(async () => {
    await admin?.disconnect().catch(() => undefined);
    await client?.end().catch(() => undefined);
    await platform?.stop();
    await db?.drop();
  });

  it('runs each deployable in a process of its own, started with its Node flags (scripts/lib/node-flags.ts)', () => {
    const started = Object.fromEntries(
      DEPLOYABLE_KINDS.map((kind) => {
        const argv = readFileSync(`/proc/${platform.pids[kind]!}/cmdline`, 'utf8').split('\0');
        return [kind, argv.filter((a) => a.startsWith('--max-semi-space-size'))];
      }),
    );
    // The flags themselves are pinned by the compose file's test (test/e2e/docker-compose/compose-file.test.ts).
    expect(started).toEqual(
      Object.fromEntries(DEPLOYABLE_KINDS.map((kind) => [kind, [...nodeFlagsFor(kind)]])),
    );
  });

  it(`loses nothing and applies nothing twice (${KILLED.join(', then ')} killed mid-load)`, async () => {
    const run = randomBytes(3).toString('hex').toUpperCase();
    const t0 = Date.now();
    const marks: string[] = [];
    const mark = (what: string): void => {
      marks.push(`${what} ${((Date.now() - t0) / 1000).toFixed(1)}s`);
    };
    let publisher: SteadyPublisher | undefined;
    try {
      const load = steadyLoad({
        tag: 'kill',
        letter: 'K',
        run,
        subjects: SUBJECTS,
        eventsPerSubject: EVENTS_PER_SUBJECT,
      });
      await registerLoadSubjects(platform.gatewayUrl, load, 'Kill test child');
      mark('registered');
      const { events } = load;
      expect(events).toHaveLength(TOTAL);
      const ofRun = `%kill-${run}-%`;
      // How far each stage has got: events stored (connector), status changes on the timeline (cases), case
      // events the engine has applied: the status changes at or below their case's applied sequence (escalations).
      const progress: Record<string, () => Promise<number>> = {
        connector: () =>
          count(`SELECT count(*) AS n FROM "ingest"."raw_event" WHERE "event_id" LIKE $1`, [ofRun]),
        cases: () =>
          count(`SELECT count(*) AS n FROM "cases"."status_change" WHERE "event_id" LIKE $1`, [ofRun]),
        escalations: () =>
          count(
            `SELECT count(*) AS n FROM "cases"."status_change" c
               JOIN "escalations"."case_snapshot" s ON s."case_id" = c."case_id"::text
              WHERE c."event_id" LIKE $1 AND c."sequence" <= s."sequence"`,
            [ofRun],
          ),
      };

      publisher = new SteadyPublisher(
        {
          brokers: testBrokers(),
          principalOf: (code): KafkaAuth | undefined => {
            try {
              return testPrincipal(code);
            } catch {
              return testKafkaAuth();
            }
          },
        },
        names,
        prefix,
      );
      const publishing = publisher.publish(events);
      publishing.catch(() => undefined);

      const atKill = new Map<DeployableKind, number>();
      const restarting: Promise<void>[] = [];
      for (const kind of KILLED) {
        // Mid-load: the stage has done some of its work and the one before it is still going.
        await eventually(async () => ((await progress[kind]!()) >= 50 ? true : undefined), {
          what: `${kind} to have done some of its work`,
          timeoutMs: 60_000,
          intervalMs: 25,
        });
        atKill.set(kind, await progress[kind]!());
        mark(`killing ${kind}`);
        const exit = await platform.kill(kind, 'SIGKILL');
        expect({ kind: exit.kind, signal: exit.signal }).toEqual({ kind, signal: 'SIGKILL' });
        // Started again at once, not awaited: its start waits until its consumer has joined the group, which
        // happens only once the killed member's session has lapsed, and the next kill is due now.
        const restarted = platform.restart(kind).then(() => mark(`${kind} restarted`));
        restarted.catch(() => undefined); // awaited below, with the others
        restarting.push(restarted);
      }
      const storedAtLastKill = await progress['connector']!();
      await Promise.all(restarting);

      await publishing;
      mark('published');
      expect(publisher.acknowledged).toBe(TOTAL);

      await waitUntilDrained({ admin, db: client, prefix, names, mark, timeoutMs: 120_000 });
      mark('drained');

      // Each was killed with work in flight: some of it done, not all.
      const finals: Record<string, number> = {};
      for (const kind of KILLED) finals[kind] = await progress[kind]!();
      for (const kind of KILLED) {
        const before = atKill.get(kind)!;
        expect({ kind, before: before > 0 && before < finals[kind]! }).toEqual({ kind, before: true });
      }
      expect(finals['connector']).toBe(TOTAL);
      expect(finals['cases']).toBe(TOTAL);
      expect(storedAtLastKill).toBeLessThan(TOTAL);

      // Each event stored once, each status change on its timeline once, each disagreement raised once,
      // nothing dead-lettered, every outbox empty.
      await expectEachAppliedOnce({ admin, db: client, names, load });

      // No process ended but the three killed, and every one serves again.
      expect(platform.exits.map((e) => ({ kind: e.kind, signal: e.signal }))).toEqual(
        KILLED.map((kind) => ({ kind, signal: 'SIGKILL' })),
      );
      await expectHealthy([...Object.values(platform.subgraphUrls), platform.gatewayUrl]);
      process.stdout.write(
        `process kill: at each kill ${KILLED.map((k) => `${k} ${atKill.get(k)} of ${finals[k]}`).join(', ')}; ` +
          `${marks.join(', ')}\n`,
      );
    } catch (err) {
      process.stdout.write(
        `process kill: ${marks.join(', ')}; deployables' log lines:\n${lines.slice(-80).join('')}\n`,
      );
      throw err;
    } finally {
      await publisher?.stop();
    }
  }, 170_000);
});
