import { Partitioners, type PartitionerArgs } from 'kafkajs';
import { defaultPartitioner, murmur2 } from './partitioner';

// kafkajs's own murmur2 (64-bit Long arithmetic on BigInt), the reference this one must agree with.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const kafkajsMurmur2 = require('kafkajs/src/producer/partitioners/default/murmur2') as (
  key: string | Buffer,
) => number;

/** A topic's partition metadata as kafkajs hands it to a partitioner: `count` partitions, all with a leader. */
function metadata(count: number): PartitionerArgs['partitionMetadata'] {
  return Array.from({ length: count }, (_, partitionId) => ({
    partitionErrorCode: 0,
    partitionId,
    leader: 0,
    replicas: [0],
    isr: [0],
  }));
}

describe('murmur2', () => {
  it("gives the Java client's hashes (Kafka's UtilsTest vectors)", () => {
    expect(murmur2('21')).toBe(-973932308);
    expect(murmur2('foobar')).toBe(-790332482);
    expect(murmur2('a-little-bit-long-string')).toBe(-985981536);
    expect(murmur2('a-little-bit-longer-string')).toBe(-1486304829);
    expect(murmur2('lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8')).toBe(-58897971);
    expect(murmur2(Buffer.from('abc'))).toBe(479470107);
  });

  it("agrees with kafkajs's for keys of every length and tail, text and bytes, ASCII or not", () => {
    const keys: (string | Buffer)[] = ['', 'a', 'ab', 'abc', 'abcd', 'é', '子ども', 'Zoë:🙂:x'];
    for (let i = 0; i < 3000; i++) {
      keys.push(`0b9f8a1e-2c1d-4f7a-9f51-1a2b3c4d5e01:police-person-id:TVP-${(i * 7919).toString(36)}`);
      keys.push(`ß${'x'.repeat(i % 13)}${i}`);
      keys.push(Buffer.from(Array.from({ length: i % 41 }, (_, j) => (i * 31 + j * 17) & 0xff)));
    }
    const differ = keys.filter((k) => murmur2(k) !== kafkajsMurmur2(k));
    expect(differ).toEqual([]);
  });
});

describe('defaultPartitioner', () => {
  it("places every keyed record where kafkajs's default partitioner (and the Java client) places it", () => {
    const ours = defaultPartitioner();
    const kafkajs = Partitioners.DefaultPartitioner();
    for (const count of [1, 3, 6, 12, 64]) {
      const partitionMetadata = metadata(count);
      for (let i = 0; i < 2000; i++) {
        const args = { topic: 't', partitionMetadata, message: { key: `subject-${i}`, value: 'v' } };
        expect(ours(args)).toBe(kafkajs(args));
      }
    }
  });

  it('keeps a partition the record names, and spreads records without a key over the partitions', () => {
    const place = defaultPartitioner();
    const partitionMetadata = metadata(6);
    expect(place({ topic: 't', partitionMetadata, message: { key: 'k', value: 'v', partition: 4 } })).toBe(4);
    const keyless = Array.from({ length: 12 }, () =>
      place({ topic: 't', partitionMetadata, message: { value: 'v' } }),
    );
    expect(new Set(keyless)).toEqual(new Set([0, 1, 2, 3, 4, 5]));
  });
});
