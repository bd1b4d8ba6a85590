import { Kafka, logLevel, Partitioners, type Admin, type Producer } from 'kafkajs';
import { kafkaSecurity } from '@mash/kafka';
import { Client } from 'pg';
import { connectorGroupId } from '@mash/connectors';
import { silentLogger, type KafkaAuth } from '@mash/service-kit';
import { topics, type AgencyFamily } from '@mash/schema';
import type { Clock } from '@mash/escalations';
import type { AgencyEvent } from '../../scripts/lib/demo-events';
import type { KafkaPrincipals } from '../../scripts/lib/kafka-broker';
import { DEMO_SOURCE_SYSTEMS, sourceCodeOf } from '../../scripts/lib/demo-source-systems';
import { startPlatform, type PlatformOptions, type RunningPlatform } from '../../scripts/lib/platform';
import { testJwt } from './auth';
import { groupCaughtUp } from './consumer-lag';
import { createTestDatabase, type TestDatabase } from './database';
import { eventually } from './gateway-client';
import {
  testBrokers,
  testKafkaAuth,
  testKafkaConfig,
  testPlatformPrincipals,
  testPrincipal,
  uniquePrefix,
} from './kafka';

/** The whole platform with the demo partnership, on a throwaway database and the test broker, as an e2e test uses it. */
export interface DemoPlatform {
  readonly prefix: string;
  readonly platform: RunningPlatform;
  readonly db: TestDatabase;
  /**
   * Publishes agency events as their source systems' case systems would: each to its own topic, in order, as the
   * source system's own Kafka principal (the platform principal on a broker given without the demo's principals).
   */
  publish(events: readonly AgencyEvent[]): Promise<void>;
  /**
   * Waits until everything published so far has gone through every stage (connector, cases and its outbox, the
   * escalation engine) and no timer due by the escalations' clock is left unfired: after it, "nothing was raised"
   * means nothing will be.
   */
  settled(): Promise<void>;
  /** Wakes the clock scheduler (after the test moved its clock) and waits until every timer now due has fired. */
  sweep(): Promise<void>;
  stop(): Promise<void>;
}

/** A broker of the test's own (a fault test stops it), instead of the shared test broker. */
export interface OwnBroker {
  readonly brokers: readonly string[];
  readonly principals: KafkaPrincipals;
}

export async function startDemoPlatform(
  options: { families?: readonly AgencyFamily[]; broker?: OwnBroker } & Partial<PlatformOptions> = {},
): Promise<DemoPlatform> {
  const prefix = uniquePrefix();
  const db = await createTestDatabase();
  const { broker: own, ...platformOptions } = options;
  const families = options.families ?? ['police', 'la-children'];
  const kafkaConfig = (clientId: string, auth: KafkaAuth | undefined) =>
    own
      ? { clientId, brokers: [...own.brokers], logLevel: logLevel.NOTHING, ...kafkaSecurity(auth) }
      : testKafkaConfig(clientId, auth);
  const adminAuth = own ? own.principals.admin : testKafkaAuth();
  const principalOf = (code: string): KafkaAuth | undefined =>
    own ? (own.principals.others[code] ?? own.principals.admin) : testPrincipalOf(code);
  const platform = await startPlatform({
    databaseUrl: db.url,
    ...(own
      ? {
          kafkaBrokers: own.brokers,
          kafkaPrincipals: { admin: own.principals.admin, services: own.principals.services },
        }
      : {
          kafkaBrokers: testBrokers(),
          // Each service as its own principal, granted its ACLs under this prefix; on a given broker, its one
          // principal.
          ...(testKafkaAuth() && { kafkaAuth: testKafkaAuth() }),
          ...(testPlatformPrincipals() && { kafkaPrincipals: testPlatformPrincipals() }),
        }),
    topicPrefix: prefix,
    jwt: testJwt,
    logger: silentLogger(),
    seedDemo: true,
    schedulerIntervalMs: 200,
    ...platformOptions,
    families,
  });
  await platform.liveReady;
  await platform.notificationsReady;
  const clock: Clock = options.clock ?? { now: () => new Date() };
  const names = topics(prefix);
  const producers = new Map<string, Producer>();
  const producerFor = async (code: string): Promise<Producer> => {
    let producer = producers.get(code);
    if (!producer) {
      producer = new Kafka(kafkaConfig(`${prefix}${code}`, principalOf(code))).producer({
        createPartitioner: Partitioners.DefaultPartitioner,
      });
      producers.set(code, producer);
      await producer.connect();
    }
    return producer;
  };
  const admin: Admin = new Kafka(kafkaConfig(`${prefix}settle-check`, adminAuth)).admin();
  await admin.connect();
  const database = new Client({ connectionString: db.url, application_name: 'demo-platform-settle' });
  await database.connect();
  const count = async (sql: string, params: unknown[] = []) =>
    Number(((await database.query(sql, params)).rows[0] as { n: string }).n);
  const dueTimersLeft = () =>
    count(`SELECT count(*) AS n FROM "escalations"."timer" WHERE "fired_at" IS NULL AND "due_at" <= $1`, [
      clock.now(),
    ]);

  // Upstream first: once a stage is caught up, nothing new reaches the stages after it.
  const pipelineIdle = async (): Promise<boolean> => {
    const connector = connectorGroupId(prefix, families);
    for (const s of DEMO_SOURCE_SYSTEMS.filter((x) => families.includes(x.family))) {
      if (!(await groupCaughtUp(admin, connector, names.agency(s.family, s.principal)))) return false;
    }
    if (!(await groupCaughtUp(admin, `${prefix}mash-cases`, names.statusChanges))) return false;
    if ((await count(`SELECT count(*) AS n FROM "cases"."outbox"`)) > 0) return false;
    if (!(await groupCaughtUp(admin, `${prefix}mash-escalations`, names.caseEvents))) return false;
    return (await dueTimersLeft()) === 0;
  };

  return {
    prefix,
    platform,
    db,
    async publish(events) {
      for (const e of events) {
        const code = sourceCodeOf(e.event.source);
        await (
          await producerFor(code)
        ).send({
          topic: names.agency(e.family, code),
          messages: [{ key: e.key, value: JSON.stringify(e.event) }],
        });
      }
    },
    async settled() {
      platform.wakeScheduler();
      await eventually(async () => ((await pipelineIdle()) ? true : undefined), {
        what: 'the pipeline and the clock scheduler to settle',
        timeoutMs: 60_000,
        intervalMs: 200,
      });
    },
    async sweep() {
      platform.wakeScheduler();
      await eventually(async () => ((await dueTimersLeft()) === 0 ? true : undefined), {
        what: 'every timer due by the clock to fire',
        timeoutMs: 30_000,
        intervalMs: 100,
      });
    },
    async stop() {
      for (const producer of producers.values()) await producer.disconnect();
      await admin.disconnect();
      await database.end();
      await platform.stop();
      await db.drop();
    },
  };
}

/** A demo source system's own principal on the test broker; the platform principal when the broker lacks it. */
function testPrincipalOf(code: string): KafkaAuth | undefined {
  try {
    return testPrincipal(code);
  } catch {
    return testKafkaAuth();
  }
}
