import { Kafka, logLevel, Partitioners, type Admin, type Producer } from 'kafkajs';
import type { Client } from 'pg';
import { connectorGroupId } from '@mash/connectors';
import { kafkaSecurity } from '@mash/kafka';
import type { KafkaAuth } from '@mash/service-kit';
import { Demo, type AgencyFamily, type Topics } from '@mash/schema';
import { agencyEventsOf, type AgencyEvent } from '../../scripts/lib/agency-events';
import { sourceCodeOf } from '../../scripts/lib/demo-source-systems';
import { groupCaughtUp } from './consumer-lag';
import { mashOfficer } from './demo-callers';
import { eventually, gql } from './gateway-client';

// The load the fault tests put on the whole platform (broker-restart, process-kill): subjects registered through
// the gateway, each given a run of agency events spread over the whole stream, one in ten with the threshold
// disagreement story; a publisher that retries each send until the broker acknowledges it; and the exact checks
// once everything has drained: each event stored once, each status change on the timeline once, each disagreement
// raised once, nothing dead-lettered, every outbox empty.

const DAY = 24 * 60 * 60 * 1000;
const FAMILIES: readonly AgencyFamily[] = ['police', 'la-children'];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface LoadSubject {
  readonly laPersonId: string;
  readonly policePersonId: string;
  /** Children's Services close with no further action; police judge the child protection threshold met. */
  readonly disagreement: boolean;
}

/** One run of the load: its subjects and events, told apart from other runs by `tag` and `run`. */
export interface SteadyLoad {
  /** In event ids (`<tag>-<run>-<subject>-<round>`). */
  readonly tag: string;
  readonly run: string;
  readonly subjects: readonly LoadSubject[];
  readonly eventsPerSubject: number;
  readonly events: readonly AgencyEvent[];
}

/**
 * `subjects` subjects (identifiers `LCS-<letter><run>-<n>`, `NICHE-<letter><run>-<n>`), one in ten with the
 * disagreement, and `eventsPerSubject` events each: round k of every subject, then round k + 1 (so one subject's
 * events are spread over the whole stream): even rounds Children's Services' referral outcome, odd rounds the police
 * view at a strategy discussion, dated weeks back so that a disagreement has outlasted its grace period when it
 * arrives.
 */
export function steadyLoad(options: {
  tag: string;
  letter: string;
  run: string;
  subjects: number;
  eventsPerSubject: number;
}): SteadyLoad {
  const { tag, letter, run, eventsPerSubject } = options;
  const subjects = Array.from({ length: options.subjects }, (_, i) => {
    const n = String(i).padStart(4, '0');
    return {
      laPersonId: `LCS-${letter}${run}-${n}`,
      policePersonId: `NICHE-${letter}${run}-${n}`,
      disagreement: i % 10 === 0,
    };
  });
  const mk = agencyEventsOf(Demo.sourceSystems);
  const start = Date.now() - 30 * DAY;
  const events: AgencyEvent[] = [];
  for (let k = 0; k < eventsPerSubject; k++) {
    subjects.forEach((s, i) => {
      const at = new Date(start + k * 60_000 + i);
      const id = `${tag}-${run}-${i}-${k}`;
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
  return { tag, run, subjects, eventsPerSubject, events };
}

/** Registers every subject of the load through the gateway, 20 at a time, as the demo's MASH officer. */
export async function registerLoadSubjects(
  gatewayUrl: string,
  load: SteadyLoad,
  label: string,
): Promise<void> {
  const { subjects } = load;
  for (let i = 0; i < subjects.length; i += 20) {
    await Promise.all(
      subjects.slice(i, i + 20).map(async (s, j) => {
        const res = await gql<{ registerSubject: { id: string } }>(
          gatewayUrl,
          `mutation ($input: RegisterSubjectInput!) { registerSubject(input: $input) { id } }`,
          {
            input: {
              partnershipId: Demo.partnershipId,
              displayName: `${label} ${i + j}`,
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
}

/** How a publisher reaches the broker: its addresses, and the principal each source system sends as. */
export interface LoadBroker {
  readonly brokers: readonly string[];
  principalOf(sourceCode: string): KafkaAuth | undefined;
}

/**
 * Publishes the events as their source systems would, at a steady pace (`chunk` events per send, `pauseMs`
 * between sends), each send retried until the broker acknowledges it: an agency system does not drop an event
 * because the broker is away. A send that failed after the broker wrote it is sent again, so a topic may hold an
 * event twice (the connector counts it as a duplicate).
 */
export class SteadyPublisher {
  private readonly producers = new Map<string, Producer>();
  acknowledged = 0;
  failedSends = 0;

  constructor(
    private readonly broker: LoadBroker,
    private readonly names: Topics,
    private readonly prefix: string,
    private readonly pace: { chunk: number; pauseMs: number } = { chunk: 20, pauseMs: 50 },
  ) {}

  private async producerFor(code: string): Promise<Producer> {
    let producer = this.producers.get(code);
    if (!producer) {
      producer = new Kafka({
        clientId: `${this.prefix}${code}`,
        brokers: [...this.broker.brokers],
        logLevel: logLevel.NOTHING,
        // Short client retries: the loop below is what waits out an outage.
        retry: { initialRetryTime: 200, retries: 3, maxRetryTime: 2_000 },
        ...kafkaSecurity(this.broker.principalOf(code)),
      }).producer({ createPartitioner: Partitioners.DefaultPartitioner });
      this.producers.set(code, producer);
    }
    return producer;
  }

  async publish(events: readonly AgencyEvent[]): Promise<void> {
    const { chunk: size, pauseMs } = this.pace;
    for (let i = 0; i < events.length; i += size) {
      const chunk = events.slice(i, i + size);
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
      await sleep(pauseMs);
    }
  }

  async stop(): Promise<void> {
    for (const producer of this.producers.values()) await producer.disconnect().catch(() => undefined);
  }
}

/** The platform's consumer groups (the demo's two families) and the topics each reads, upstream first. */
export function platformGroups(prefix: string, names: Topics): [string, string[]][] {
  return [
    [
      connectorGroupId(prefix, FAMILIES),
      [
        names.agency('police', Demo.sourceSystems.police.code),
        names.agency('la-children', Demo.sourceSystems.laChildren.code),
      ],
    ],
    [`${prefix}mash-cases`, [names.statusChanges]],
    [`${prefix}mash-escalations`, [names.caseEvents]],
    [`${prefix}mash-contacts`, [names.escalationEvents]],
  ];
}

const OUTBOXES = ['cases', 'escalations', 'contacts'];

/**
 * Waits until every group has no lag, every outbox is empty and no timer is due, twice in a row (a timer firing
 * between two looks enqueues again). `wake` asks the clock scheduler for a prompt run; `mark` is told each new state.
 */
export async function waitUntilDrained(options: {
  admin: Admin;
  db: Client;
  prefix: string;
  names: Topics;
  wake?: () => void;
  mark?: (state: string) => void;
  timeoutMs?: number;
}): Promise<void> {
  const { admin, db, prefix, names } = options;
  const count = async (sql: string) => Number(((await db.query(sql)).rows[0] as { n: string }).n);
  let lastState = '';
  /** Throws what is still waiting (the timeout's message names it), else resolves. */
  const drained = async (): Promise<void> => {
    options.wake?.();
    const waiting: string[] = [];
    for (const [group, groupTopics] of platformGroups(prefix, names)) {
      for (const topic of groupTopics) {
        if (!(await groupCaughtUp(admin, group, topic))) waiting.push(`${group} behind on ${topic}`);
      }
    }
    for (const schema of OUTBOXES) {
      const n = await count(`SELECT count(*) AS n FROM "${schema}"."outbox"`);
      if (n > 0) waiting.push(`${n} rows in ${schema}.outbox`);
    }
    const dueTimers = await count(
      `SELECT count(*) AS n FROM "escalations"."timer" WHERE "fired_at" IS NULL AND "due_at" <= now()`,
    );
    if (dueTimers > 0) waiting.push(`${dueTimers} due timers`);
    const state = waiting.join('; ');
    if (state !== lastState) options.mark?.(`[${state || 'drained'}]`);
    lastState = state;
    if (waiting.length > 0) throw new Error(state);
  };
  await eventually(
    async () => {
      await drained();
      await drained();
      return true;
    },
    {
      what: 'every group to have no lag and every outbox to be empty',
      timeoutMs: options.timeoutMs ?? 90_000,
      intervalMs: 250,
    },
  );
}

/**
 * The exact outcome of a drained run: every published event stored once and none rejected; every status change on
 * its subject's timeline once and none held; each disagreement raised exactly once, on its subject's case, and
 * nothing else raised for these subjects; nothing dead-lettered on any topic or outbox; every outbox empty.
 */
export async function expectEachAppliedOnce(options: {
  admin: Admin;
  db: Client;
  names: Topics;
  load: SteadyLoad;
}): Promise<void> {
  const { admin, db, names, load } = options;
  const count = async (sql: string, params: unknown[] = []) =>
    Number(((await db.query(sql, params)).rows[0] as { n: string }).n);
  const total = load.events.length;
  const ofRun = `%${load.tag}-${load.run}-%`;
  const laPrefix = load.subjects[0]!.laPersonId.replace(/-\d+$/, '-%');

  const stored = await db.query<{ source: string; event_id: string }>(
    `SELECT "source", "event_id" FROM "ingest"."raw_event" WHERE "event_id" LIKE $1`,
    [ofRun],
  );
  const key = (r: { source: string; event_id: string }) => `${r.source} ${r.event_id}`;
  expect(stored.rows.map(key).sort()).toEqual(
    load.events.map((e) => key({ source: e.event.source, event_id: e.event.id })).sort(),
  );
  expect(await count(`SELECT count(*) AS n FROM "ingest"."rejected_event"`)).toBe(0);

  expect(
    await count(`SELECT count(*) AS n FROM "cases"."status_change" WHERE "event_id" LIKE $1`, [ofRun]),
  ).toBe(total);
  expect(
    await count(
      `SELECT count(DISTINCT ("source", "event_id")) AS n FROM "cases"."status_change" WHERE "event_id" LIKE $1`,
      [ofRun],
    ),
  ).toBe(total);
  expect(await count(`SELECT count(*) AS n FROM "cases"."unmatched_status_change"`)).toBe(0);
  const perSubject = await db.query<{ value: string; n: string }>(
    `SELECT i."value", count(*) AS n
       FROM "cases"."status_change" sc
       JOIN "cases"."case" c ON c."id" = sc."case_id"
       JOIN "cases"."subject_identifier" i ON i."subject_id" = c."subject_id" AND i."system" = 'la-person-id'
      WHERE i."value" LIKE $1
      GROUP BY i."value"`,
    [laPrefix],
  );
  expect(perSubject.rows).toHaveLength(load.subjects.length);
  expect(perSubject.rows.filter((r) => Number(r.n) !== load.eventsPerSubject)).toEqual([]);

  const raised = await db.query<{ value: string; ground: string; n: string }>(
    `SELECT i."value", e."ground", count(*) AS n
       FROM "escalations"."escalation" e
       JOIN "cases"."case" c ON c."id"::text = e."case_id"
       JOIN "cases"."subject_identifier" i ON i."subject_id" = c."subject_id" AND i."system" = 'la-person-id'
      WHERE i."value" LIKE $1
      GROUP BY i."value", e."ground"
      ORDER BY i."value"`,
    [laPrefix],
  );
  expect(raised.rows).toEqual(
    load.subjects
      .filter((s) => s.disagreement)
      .map((s) => ({ value: s.laPersonId, ground: 'threshold-disagreement', n: '1' })),
  );

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
  for (const schema of OUTBOXES) {
    expect(await count(`SELECT count(*) AS n FROM "${schema}"."outbox_dead_letter"`)).toBe(0);
    expect(await count(`SELECT count(*) AS n FROM "${schema}"."outbox"`)).toBe(0);
  }
}

/** /health (alive) and /ready (its dependencies answer) of every subgraph, the connector and the gateway. */
export async function expectHealthy(urls: readonly string[]): Promise<void> {
  for (const url of urls) {
    for (const path of ['/health', '/ready']) {
      const res = await fetch(new URL(path, url));
      expect({ url: new URL(path, url).toString(), status: res.status }).toEqual({
        url: new URL(path, url).toString(),
        status: 200,
      });
    }
  }
}
