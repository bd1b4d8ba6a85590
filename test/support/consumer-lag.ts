import type { Admin } from 'kafkajs';

/**
 * True when the consumer group has committed offsets at the end of every partition of the topic: everything
 * published so far has been handled. Lets a test wait for "nothing more will happen" precisely.
 */
export async function groupCaughtUp(admin: Admin, groupId: string, topic: string): Promise<boolean> {
  const ends = await admin.fetchTopicOffsets(topic);
  const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
  const byPartition = new Map((committed?.partitions ?? []).map((p) => [p.partition, Number(p.offset)]));
  return ends.every((e) => {
    const high = Number(e.high);
    const done = byPartition.get(e.partition) ?? -1;
    return high === 0 || done >= high;
  });
}
