import { Kafka, Partitioners, type Producer } from 'kafkajs';
import { silentLogger } from '@mash/service-kit';
import { topics, type AgencyFamily } from '@mash/schema';
import type { AgencyEvent } from '../../scripts/lib/demo-events';
import { sourceCodeOf } from '../../scripts/lib/demo-source-systems';
import { startPlatform, type PlatformOptions, type RunningPlatform } from '../../scripts/lib/platform';
import { testJwt } from './auth';
import { createTestDatabase, type TestDatabase } from './database';
import { testBrokers, testKafkaAuth, testKafkaConfig, testPlatformPrincipals, uniquePrefix } from './kafka';

/** The whole platform with the demo partnership, on a throwaway database and the test broker, as an e2e test uses it. */
export interface DemoPlatform {
  readonly prefix: string;
  readonly platform: RunningPlatform;
  readonly db: TestDatabase;
  /** Publishes agency events as their source systems' case systems would: each to its own topic, in order. */
  publish(events: readonly AgencyEvent[]): Promise<void>;
  stop(): Promise<void>;
}

export async function startDemoPlatform(
  options: { families?: readonly AgencyFamily[] } & Partial<PlatformOptions> = {},
): Promise<DemoPlatform> {
  const prefix = uniquePrefix();
  const db = await createTestDatabase();
  const platform = await startPlatform({
    databaseUrl: db.url,
    kafkaBrokers: testBrokers(),
    // Each service as its own principal, granted its ACLs under this prefix; on a given broker, its one principal.
    ...(testKafkaAuth() && { kafkaAuth: testKafkaAuth() }),
    ...(testPlatformPrincipals() && { kafkaPrincipals: testPlatformPrincipals() }),
    topicPrefix: prefix,
    jwt: testJwt,
    logger: silentLogger(),
    seedDemo: true,
    schedulerIntervalMs: 200,
    ...options,
    families: options.families ?? ['police', 'la-children'],
  });
  await platform.liveReady;
  await platform.notificationsReady;
  const producer: Producer = new Kafka(testKafkaConfig(`${prefix}agency-systems`)).producer({
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  await producer.connect();
  const names = topics(prefix);
  return {
    prefix,
    platform,
    db,
    async publish(events) {
      for (const e of events) {
        await producer.send({
          topic: names.agency(e.family, sourceCodeOf(e.event.source)),
          messages: [{ key: e.key, value: JSON.stringify(e.event) }],
        });
      }
    },
    async stop() {
      await producer.disconnect();
      await platform.stop();
      await db.drop();
    },
  };
}
