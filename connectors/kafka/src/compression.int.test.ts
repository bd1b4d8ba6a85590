import { CompressionCodecs, CompressionTypes } from 'kafkajs';
import { EventProducer, type KafkaCompression } from './index';
import { testTopics } from '@test/support/kafka';

// Integration: record batch compression on a real broker. The platform's producer compresses what it sends with
// the chosen codec, the broker takes the batches and keeps them compressed (the consumer is handed compressed
// batches back), and the records arrive byte for byte, in order per partition. An agency's own producer using LZ4
// or Snappy is read the same way.
jest.setTimeout(90_000);

const broker = testTopics('compression-int-test');
const topic = (name: string) => broker.topic(name, 3);
const { read } = broker;

interface Codec {
  compress(encoder: { buffer: Buffer }): Promise<Buffer>;
  decompress(buffer: Buffer): Promise<Buffer>;
}
const codecs = CompressionCodecs as unknown as Record<number, () => Codec>;

/** Counts what a registered codec compresses and decompresses, passing everything on to it. */
function spyOnCodec(type: CompressionTypes) {
  const original = codecs[type]!;
  const seen = { compressed: 0, compressedBytes: 0, decompressed: 0, decompressedBytes: 0, fetchedBytes: 0 };
  codecs[type] = () => {
    const codec = original();
    return {
      compress: async (encoder) => {
        const out = await codec.compress(encoder);
        seen.compressed++;
        seen.compressedBytes += out.length;
        return out;
      },
      decompress: async (buffer) => {
        const out = await codec.decompress(buffer);
        seen.decompressed++;
        seen.fetchedBytes += buffer.length;
        seen.decompressedBytes += out.length;
        return out;
      },
    };
  };
  return { seen, restore: () => (codecs[type] = original) };
}

/** A case event's worth of JSON (about 2 KB), different per record. */
function value(i: number): object {
  return {
    id: `event-${i}`,
    caseId: `case-${i % 7}`,
    involvements: Array.from({ length: 8 }, (_, j) => ({
      agencyId: `agency-${j}`,
      localReference: `REF-${i}-${j}`,
      open: true,
      since: '2026-11-01T10:00:00.000Z',
    })),
    summary: `Signal ${i}: ${'risk rising after a missed visit; '.repeat(20)}`,
  };
}

describe.each<[KafkaCompression, CompressionTypes]>([
  ['snappy', CompressionTypes.Snappy],
  ['lz4', CompressionTypes.LZ4],
])('%s', (compression, type) => {
  it('the platform producer sends compressed batches the broker keeps compressed, and every record arrives in order', async () => {
    const name = await topic(`compressed-${compression}`);
    const spy = spyOnCodec(type);
    const producer = new EventProducer(broker.kafka, { compression });
    try {
      const messages = Array.from({ length: 300 }, (_, i) => ({ key: `case-${i % 7}`, value: value(i) }));
      for (let i = 0; i < messages.length; i += 100) await producer.send(name, messages.slice(i, i + 100));
      const found = await read(name, messages.length);

      const expected = new Map<string, string[]>();
      for (const m of messages) {
        const list = expected.get(m.key) ?? [];
        list.push(`${m.key}:${JSON.stringify(m.value)}`);
        expected.set(m.key, list);
      }
      const byKey = new Map<string, string[]>();
      for (const records of found.values())
        for (const r of records) {
          const key = r.slice(0, r.indexOf(':'));
          byKey.set(key, [...(byKey.get(key) ?? []), r]);
        }
      expect(byKey).toEqual(expected);
      // Sent compressed, and fetched back compressed: the broker stored the batches as they came.
      expect(spy.seen.compressed).toBeGreaterThanOrEqual(3);
      expect(spy.seen.decompressed).toBeGreaterThanOrEqual(1);
      const sentBytes = messages.reduce((n, m) => n + JSON.stringify(m.value).length, 0);
      expect(spy.seen.decompressedBytes).toBeGreaterThan(sentBytes);
      expect(spy.seen.fetchedBytes).toBeLessThan(sentBytes / 4);
    } finally {
      spy.restore();
      await producer.stop();
    }
  });

  it("an agency's own producer compressing with it is read like any other", async () => {
    const name = await topic(`agency-${compression}`);
    const agency = broker.kafka.producer();
    await agency.connect();
    try {
      await agency.send({
        topic: name,
        compression: type,
        messages: [0, 1, 2, 3].map((i) => ({ key: 'subject-1', value: JSON.stringify(value(i)) })),
      });
      const found = await read(name, 4);
      expect([...found.values()].flat()).toEqual(
        [0, 1, 2, 3].map((i) => `subject-1:${JSON.stringify(value(i))}`),
      );
    } finally {
      await agency.disconnect();
    }
  });
});

it('KAFKA_COMPRESSION=none sends batches uncompressed', async () => {
  const name = await topic('uncompressed');
  const snappy = spyOnCodec(CompressionTypes.Snappy);
  const lz4 = spyOnCodec(CompressionTypes.LZ4);
  const producer = new EventProducer(broker.kafka, { compression: 'none' });
  try {
    await producer.send(name, [{ key: 'k', value: value(1) }]);
    expect(await read(name, 1)).toEqual(new Map([[expect.any(Number), [`k:${JSON.stringify(value(1))}`]]]));
    expect([
      snappy.seen.compressed,
      snappy.seen.decompressed,
      lz4.seen.compressed,
      lz4.seen.decompressed,
    ]).toEqual([0, 0, 0, 0]);
  } finally {
    snappy.restore();
    lz4.restore();
    await producer.stop();
  }
});
