import type { Kafka } from 'kafkajs';

export interface TopicSpec {
  readonly topic: string;
  readonly numPartitions?: number;
  readonly configEntries?: readonly { name: string; value: string }[];
}

/** Creates the topics that do not exist yet (idempotent; safe when several instances start together). */
export async function ensureTopics(
  kafka: Kafka,
  specs: readonly TopicSpec[],
  defaultPartitions = 6,
): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = specs.filter((s) => !existing.has(s.topic));
    if (missing.length === 0) return;
    await admin.createTopics({
      waitForLeaders: true,
      topics: missing.map((s) => ({
        topic: s.topic,
        numPartitions: s.numPartitions ?? defaultPartitions,
        replicationFactor: -1,
        configEntries: [...(s.configEntries ?? [])],
      })),
    });
  } catch (err) {
    // Another instance may have created them between list and create.
    if ((err as { type?: string }).type !== 'TOPIC_ALREADY_EXISTS') throw err;
  } finally {
    await admin.disconnect();
  }
}
