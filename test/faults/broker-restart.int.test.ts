import { Kafka, logLevel, Partitioners, type Admin, type Producer } from 'kafkajs';
import { Client } from 'pg';
import { randomBytes } from 'node:crypto';
import { connectorGroupId } from '@mash/connectors';
import { kafkaSecurity } from '@mash/kafka';
import { createLogger } from '@mash/service-kit';
import { Demo, topics, type Topics } from '@mash/schema';
import { groupCaughtUp } from '@test/support/consumer-lag';
import { mashOfficer } from '@test/support/demo-callers';
import { startDemoPlatform, type DemoPlatform } from '@test/support/demo-platform';
import { eventually, gql } from '@test/support/gateway-client';
import { startTestBroker, type TestBroker } from '@test/support/test-broker';
import { agencyEventsOf, type AgencyEvent } from '../../scripts/lib/agency-events';
import { DEMO_SOURCE_SYSTEMS, sourceCodeOf } from '../../scripts/lib/demo-source-systems';

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
/** How many events go into one send, and the pause between sends: a few hundred events/s. */
const CHUNK = 20;
const CHUNK_PAUSE_MS = 50;
const DOWN_MS = 5_000;
const DAY = 24 * 60 * 60 * 1000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The test's own broker: TEST_KAFKA_FAULT_PORT, else the slot after the shared broker's (TEST_KAFKA_PORT + 10). */
function faultBrokerPorts(): { port: number; controllerPort: number } {
  const shared = Number(process.env['TEST_KAFKA_PORT'] || 19092);
  const sharedController = Number(process.env['TEST_KAFKA_CONTROLLER_PORT'] || 19093);
  const port = Number(process.env['TEST_KAFKA_FAULT_PORT'] || shared + 10);
  const controllerPort = Number(process.env['TEST_KAFKA_FAULT_CONTROLLER_PORT'] || sharedController + 10);
  return { port, controllerPort };
}

interface Subject {
  readonly laPersonId: string;
  readonly policePersonId: string;
  /** Children's Services close with no further action; police judge the child protection threshold met. */
  readonly disagreement: boolean;
}

function subjectsOf(run: string): Subject[] {
  return Array.from({ length: SUBJECTS }, (_, i) => {
    const n = String(i).padStart(4, '0');
    return {
      laPersonId: `LCS-R${run}-${n}`,
      policePersonId: `NICHE-R${run}-${n}`,
      disagreement: i % 10 === 0,
    };
  });
}

/**
 * Round k of every subject, then round k + 1 (so one subject's events are spread over the whole stream): even
 * rounds Children's Services' referral outcome, odd rounds the police view at a strategy discussion, dated weeks
 * back so that a disagreement has outlasted its grace period when it arrives.
 */
function eventsOf(run: string, subjects: readonly Subject[]): AgencyEvent[] {
  const mk = agencyEventsOf(Demo.sourceSystems);
  const start = Date.now() - 30 * DAY;
  const events: AgencyEvent[] = [];
  for (let k = 0; k < EVENTS_PER_SUBJECT; k++) {
    subjects.forEach((s, i) => {
      const at = new Date(start + k * 60_000 + i);
      const id = `restart-${run}-${i}-${k}`;
      events.push(
        k % 2 === 0
          ? mk.laChildren.referralOutcome({
              id: `lcs-${id}`,
              laPersonId: s.laPersonId,
              at,
              outcome: s.disagreement ? 'no-further-action' : 'early-help',
            })
          : mk.police.strategyDiscussionView({
              id: `niche-${id}`,
              policePersonId: s.policePersonId,
              at,
              threshold: s.disagreement ? 'child-protection' : 'early-help',
            }),
      );
    });
  }
  return events;
}

/**
 * Publishes the events as their source systems would, at a steady pace, each send retried until the broker
 * acknowledges it: an agency system does not drop an event because the broker is away. A send that failed after
 * the broker wrote it is sent again, so a topic may hold an event twice (the connector counts it as a duplicate).
 */
class SteadyPublisher {
  private readonly producers = new Map<string, Producer>();
  acknowledged = 0;
  failedSends = 0;

  constructor(
    private readonly broker: TestBroker,
    private readonly names: Topics,
    private readonly prefix: string,
  ) {}

  private async producerFor(code: string): Promise<Producer> {
    let producer = this.producers.get(code);
    if (!producer) {
      const auth = this.broker.broker.principals.others[code];
      producer = new Kafka({
        clientId: `${this.prefix}${code}`,
        brokers: this.broker.broker.brokers,
        logLevel: logLevel.NOTHING,
        // Short client retries: the loop below is what waits out the outage.
        retry: { initialRetryTime: 200, retries: 3, maxRetryTime: 2_000 },
        ...kafkaSecurity(auth),
      }).producer({ createPartitioner: Partitioners.DefaultPartitioner });
      this.producers.set(code, producer);
    }
    return producer;
  }

  async publish(events: readonly AgencyEvent[]): Promise<void> {
    for (let i = 0; i < events.length; i += CHUNK) {
      const chunk = events.slice(i, i + CHUNK);
      // One send per source system's topic, in order: one subject's events keep their order.
      const byTopic = new Map<string, AgencyEvent[]>();
      for (const e of chunk) {
        const list = byTopic.get(sourceCodeOf(e.event.source)) ?? [];
        list.push(e);
        byTopic.set(sourceCodeOf(e.event.source), list);
      }
      for (const [code, list] of byTopic) {
        for (;;) {
          try {
            const producer = await this.producerFor(code);
            await producer.connect();
            await producer.send({
              topic: this.names.agency(list[0]!.family, code),
              acks: -1,
              messages: list.map((e) => ({ key: e.key, value: JSON.stringify(e.event) })),
            });
            break;
          } catch {
            this.failedSends++;
            await sleep(250);
          }
        }
        this.acknowledged += list.length;
      }
      await sleep(CHUNK_PAUSE_MS);
    }
  }

  async stop(): Promise<void> {
    for (const producer of this.producers.values()) await producer.disconnect().catch(() => undefined);
  }
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
        const subjects = subjectsOf(run);
        for (let i = 0; i < subjects.length; i += 20) {
          await Promise.all(
            subjects.slice(i, i + 20).map(async (s, j) => {
              const res = await gql<{ registerSubject: { id: string } }>(
                platform.platform.gatewayUrl,
                `mutation ($input: RegisterSubjectInput!) { registerSubject(input: $input) { id } }`,
                {
                  input: {
                    partnershipId: Demo.partnershipId,
                    displayName: `Restart test child ${i + j}`,
                    identifiers: [
                      { system: 'la-person-id', value: s.laPersonId },
                      { system: 'police-person-id', value: s.policePersonId },
                    ],
                  },
                },
                mashOfficer,
              );
              expect(res.errors).toBeUndefined();
            }),
          );
        }
        mark('registered');
        const events = eventsOf(run, subjects);
        expect(events).toHaveLength(TOTAL);
        const disagreements = subjects.filter((s) => s.disagreement);
        const ofRun = `%restart-${run}-%`;
        const storedOfRun = () =>
          count(`SELECT count(*) AS n FROM "ingest"."raw_event" WHERE "event_id" LIKE $1`, [ofRun]);

        publisher = new SteadyPublisher(broker, names, prefix);
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
        const groups: [string, string[]][] = [
          [
            connectorGroupId(prefix, ['police', 'la-children']),
            [
              names.agency('police', Demo.sourceSystems.police.code),
              names.agency('la-children', Demo.sourceSystems.laChildren.code),
            ],
          ],
          [`${prefix}mash-cases`, [names.statusChanges]],
          [`${prefix}mash-escalations`, [names.caseEvents]],
          [`${prefix}mash-contacts`, [names.escalationEvents]],
        ];
        const outboxes = ['cases', 'escalations', 'contacts'];
        let lastState = '';
        /** Throws what is still waiting (the timeout's message names it), else resolves. */
        const drained = async (): Promise<void> => {
          platform.platform.wakeScheduler();
          const waiting: string[] = [];
          for (const [group, groupTopics] of groups) {
            for (const topic of groupTopics) {
              if (!(await groupCaughtUp(admin!, group, topic))) waiting.push(`${group} behind on ${topic}`);
            }
          }
          for (const schema of outboxes) {
            const n = await count(`SELECT count(*) AS n FROM "${schema}"."outbox"`);
            if (n > 0) waiting.push(`${n} rows in ${schema}.outbox`);
          }
          const dueTimers = await count(
            `SELECT count(*) AS n FROM "escalations"."timer" WHERE "fired_at" IS NULL AND "due_at" <= now()`,
          );
          if (dueTimers > 0) waiting.push(`${dueTimers} due timers`);
          const state = waiting.join('; ');
          if (state !== lastState) mark(`[${state || 'drained'}]`);
          lastState = state;
          if (waiting.length > 0) throw new Error(state);
        };
        // Twice in a row: a timer firing between two looks enqueues again.
        await eventually(
          async () => {
            await drained();
            await drained();
            return true;
          },
          {
            what: 'every group to have no lag and every outbox to be empty',
            timeoutMs: 90_000,
            intervalMs: 250,
          },
        );

        // Every published event stored once, none rejected.
        const stored = await db.query<{ source: string; event_id: string }>(
          `SELECT "source", "event_id" FROM "ingest"."raw_event" WHERE "event_id" LIKE $1`,
          [ofRun],
        );
        const key = (r: { source: string; event_id: string }) => `${r.source} ${r.event_id}`;
        expect(stored.rows.map(key).sort()).toEqual(
          events.map((e) => key({ source: e.event.source, event_id: e.event.id })).sort(),
        );
        expect(await count(`SELECT count(*) AS n FROM "ingest"."rejected_event"`)).toBe(0);

        // Every status change on its subject's timeline once; none held as unmatched.
        expect(
          await count(`SELECT count(*) AS n FROM "cases"."status_change" WHERE "event_id" LIKE $1`, [ofRun]),
        ).toBe(TOTAL);
        expect(
          await count(
            `SELECT count(DISTINCT ("source", "event_id")) AS n FROM "cases"."status_change" WHERE "event_id" LIKE $1`,
            [ofRun],
          ),
        ).toBe(TOTAL);
        expect(await count(`SELECT count(*) AS n FROM "cases"."unmatched_status_change"`)).toBe(0);
        const perSubject = await db.query<{ value: string; n: string }>(
          `SELECT i."value", count(*) AS n
             FROM "cases"."status_change" sc
             JOIN "cases"."case" c ON c."id" = sc."case_id"
             JOIN "cases"."subject_identifier" i ON i."subject_id" = c."subject_id" AND i."system" = 'la-person-id'
            WHERE i."value" LIKE $1
            GROUP BY i."value"`,
          [`LCS-R${run}-%`],
        );
        expect(perSubject.rows).toHaveLength(SUBJECTS);
        expect(perSubject.rows.filter((r) => Number(r.n) !== EVENTS_PER_SUBJECT)).toEqual([]);

        // Each disagreement raised exactly once, on its subject's case, and nothing else raised for these subjects.
        const raised = await db.query<{ value: string; ground: string; n: string }>(
          `SELECT i."value", e."ground", count(*) AS n
             FROM "escalations"."escalation" e
             JOIN "cases"."case" c ON c."id"::text = e."case_id"
             JOIN "cases"."subject_identifier" i ON i."subject_id" = c."subject_id" AND i."system" = 'la-person-id'
            WHERE i."value" LIKE $1
            GROUP BY i."value", e."ground"
            ORDER BY i."value"`,
          [`LCS-R${run}-%`],
        );
        expect(raised.rows).toEqual(
          disagreements.map((s) => ({ value: s.laPersonId, ground: 'threshold-disagreement', n: '1' })),
        );

        // Nothing dead-lettered anywhere: no topic, no outbox.
        for (const topic of [
          names.deadLetter('police'),
          names.deadLetter('la-children'),
          names.internalDeadLetter('status-changes'),
          names.internalDeadLetter('case-events'),
          names.internalDeadLetter('escalation-events'),
        ]) {
          const offsets = await admin.fetchTopicOffsets(topic);
          expect({ topic, records: offsets.reduce((n, o) => n + Number(o.high), 0) }).toEqual({
            topic,
            records: 0,
          });
        }
        for (const schema of outboxes) {
          expect(await count(`SELECT count(*) AS n FROM "${schema}"."outbox_dead_letter"`)).toBe(0);
          expect(await count(`SELECT count(*) AS n FROM "${schema}"."outbox"`)).toBe(0);
        }

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
  for (const url of [...Object.values(subgraphUrls), gatewayUrl]) {
    for (const path of ['/health', '/ready']) {
      const res = await fetch(new URL(path, url));
      expect({ url: new URL(path, url).toString(), status: res.status }).toEqual({
        url: new URL(path, url).toString(),
        status: 200,
      });
    }
  }
}
