import { randomBytes } from 'node:crypto';
import { EventProducer } from './index';
import { testTopics } from '@test/support/kafka';

// Integration: the coalescing producer on a real broker. Sends asked for at once go out together, and every
// caller's messages arrive, each caller's in the order it gave them.
jest.setTimeout(90_000);

const broker = testTopics('producer-int-test');
const { topic, read } = broker;

describe('EventProducer with coalesce', () => {
  it('sends many callers at once to two topics: every message arrives once, each key in its order', async () => {
    const a = await topic('coalesce-a', 3);
    const b = await topic('coalesce-b', 1);
    const producer = new EventProducer(broker.kafka, { coalesce: true });
    await producer.connect();
    try {
      // Ten callers at once, each with 300 messages on three keys (the last caller more than a request holds).
      const callers = Array.from({ length: 10 }, (_, c) =>
        producer.send(
          c % 2 === 0 ? a : b,
          Array.from({ length: c === 9 ? 2500 : 300 }, (_, i) => ({
            key: `k${c}-${i % 3}`,
            value: { c, i },
          })),
        ),
      );
      await Promise.all(callers);
    } finally {
      await producer.stop();
    }
    const onA = await read(a, 5 * 300);
    const onB = await read(b, 4 * 300 + 2500);
    const byTopic: [Map<number, string[]>, number[]][] = [
      [onA, [0, 2, 4, 6, 8]],
      [onB, [1, 3, 5, 7, 9]],
    ];
    for (const [records, callers] of byTopic) {
      const all = [...records.values()].flat();
      expect(all).toHaveLength(callers.reduce((n, c) => n + (c === 9 ? 2500 : 300), 0));
      for (const c of callers) {
        for (let k = 0; k < 3; k++) {
          const key = `k${c}-${k}`;
          // One key's messages: on one partition, in the order the caller gave them.
          const partitions = [...records].filter(([, list]) => list.some((r) => r.startsWith(`${key}:`)));
          expect(partitions).toHaveLength(1);
          const order = partitions[0]![1]
            .filter((r) => r.startsWith(`${key}:`))
            .map((r) => (JSON.parse(r.slice(key.length + 1)) as { i: number }).i);
          const expected = Array.from({ length: c === 9 ? 2500 : 300 }, (_, i) => i).filter(
            (i) => i % 3 === k,
          );
          expect(order).toEqual(expected);
        }
      }
    }
  });

  it('rejects a send the broker refuses, and sends the next ones', async () => {
    const ok = await topic('coalesce-ok', 1);
    const producer = new EventProducer(broker.kafka, { coalesce: true });
    await producer.connect();
    try {
      // A message over the broker's limit (1 MiB by default) is refused whatever the retries (random, so that its
      // batch is still over the limit once compressed).
      const big = randomBytes(1536 * 1024).toString('base64');
      const refused = producer.send(ok, [{ key: 'big', value: big }]);
      await expect(refused).rejects.toThrow();
      await producer.send(ok, [{ key: 'after', value: 'fine' }]);
    } finally {
      await producer.stop();
    }
    const records = [...(await read(ok, 1)).values()].flat();
    expect(records).toEqual(['after:fine']);
  });
});
