import { setTimeout as sleep } from 'node:timers/promises';
import type { Admin, Kafka } from 'kafkajs';

export interface TopicSpec {
  readonly topic: string;
  readonly numPartitions?: number;
  readonly configEntries?: readonly { name: string; value: string }[];
}

/** Partitions of a topic whose spec names none: the unit of scale-out (consumers of a group share them). */
const DEFAULT_PARTITIONS = 6;

/** How long `createTopicsAndWait` waits for every new partition to have a leader. */
const LEADER_WAIT_MS = 30_000;

/** Creates the topics that do not exist yet (idempotent; safe when several instances start together). */
export async function ensureTopics(
  kafka: Kafka,
  specs: readonly TopicSpec[],
  defaultPartitions = DEFAULT_PARTITIONS,
): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = specs.filter((s) => !existing.has(s.topic));
    if (missing.length === 0) return;
    await createTopicsAndWait(
      admin,
      missing.map((s) => ({ ...s, numPartitions: s.numPartitions ?? defaultPartitions })),
    );
  } finally {
    await admin.disconnect();
  }
}

/**
 * Creates the topics (the broker's replication factor; one that exists already, made meanwhile by another
 * instance, is fine) and waits until every partition of each has a leader, so that producing to them or consuming
 * them straight after does not fail.
 *
 * kafkajs's own wait (`waitForLeaders`) retries only LEADER_NOT_AVAILABLE; a broker under load (KRaft publishes a
 * new topic's metadata to its cache a moment after creating it) can still answer UNKNOWN_TOPIC_OR_PARTITION, and
 * kafkajs then fails the creation of topics that were in fact created. Here both answers mean "not yet".
 */
export async function createTopicsAndWait(
  admin: Admin,
  specs: readonly TopicSpec[],
  timeoutMs = LEADER_WAIT_MS,
): Promise<void> {
  if (specs.length === 0) return;
  try {
    await admin.createTopics({
      waitForLeaders: false,
      topics: specs.map((s) => ({
        topic: s.topic,
        numPartitions: s.numPartitions ?? DEFAULT_PARTITIONS,
        replicationFactor: -1,
        configEntries: [...(s.configEntries ?? [])],
      })),
    });
  } catch (err) {
    // Another instance may have created them between the caller's look and this creation.
    if ((err as { type?: string }).type !== 'TOPIC_ALREADY_EXISTS') throw err;
  }
  const names = [...new Set(specs.map((s) => s.topic))];
  const deadline = Date.now() + timeoutMs;
  for (let delay = 50; ; delay = Math.min(delay * 2, 1_000)) {
    let waitingFor = names.join(', ');
    try {
      const { topics } = await admin.fetchTopicMetadata({ topics: names });
      const led = new Set(
        topics
          .filter((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0))
          .map((t) => t.name),
      );
      const waiting = names.filter((n) => !led.has(n));
      if (waiting.length === 0) return;
      waitingFor = waiting.join(', ');
    } catch (err) {
      const type = (err as { type?: string }).type;
      if (type !== 'UNKNOWN_TOPIC_OR_PARTITION' && type !== 'LEADER_NOT_AVAILABLE') throw err;
    }
    if (Date.now() >= deadline) {
      throw new Error(`topics created but without a leader after ${timeoutMs} ms: ${waitingFor}`);
    }
    await sleep(delay);
  }
}
