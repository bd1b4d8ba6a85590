import { createHash } from 'node:crypto';
import { CompressionTypes, KafkaJSNonRetriableError, KafkaJSProtocolError } from 'kafkajs';
import './compression';
import { refusedByBroker } from './outbox';
import { producerStateLost } from './producer';

// What the broker's answer to a failed send means: the records refused (set them aside), or the producer's
// idempotence state lost after a broker restart (a new producer sends them again).

/** A broker error as kafkajs's producer throws it: the protocol error, wrapped as it leaves the retrier. */
function brokerError(type: string, code: number, retriable: boolean): Error {
  const protocol = new KafkaJSProtocolError(
    Object.assign(new Error(`the broker says ${type}`), { type, code, retriable }),
  );
  // kafkajs's typings give the wrapper one argument; its retrier passes the cause as the second (retry/index.js).
  const Wrapper = KafkaJSNonRetriableError as unknown as new (e: Error, o: { cause: Error }) => Error;
  return retriable ? protocol : new Wrapper(protocol, { cause: protocol });
}

describe('a send the broker refused', () => {
  it('is a lost producer state, not a refusal of the records, when the sequence numbers no longer match', () => {
    const err = brokerError('OUT_OF_ORDER_SEQUENCE_NUMBER', 45, false);
    expect(producerStateLost(err)).toBe(true);
    expect(refusedByBroker(err)).toBe(false);
  });

  it.each([
    ['UNKNOWN_PRODUCER_ID', 59],
    ['INVALID_PRODUCER_EPOCH', 47],
    ['INVALID_PRODUCER_ID_MAPPING', 49],
  ])('is a lost producer state for %s', (type, code) => {
    expect(producerStateLost(brokerError(type, code, false))).toBe(true);
  });

  it('is a refusal of the records when they are too large', () => {
    const err = brokerError('MESSAGE_TOO_LARGE', 10, false);
    expect(producerStateLost(err)).toBe(false);
    expect(refusedByBroker(err)).toBe(true);
  });

  it('is neither when the broker is away', () => {
    const err = new Error('Connection error: connect ECONNREFUSED 127.0.0.1:9092');
    expect(producerStateLost(err)).toBe(false);
    expect(refusedByBroker(err)).toBe(false);
  });
});

// kafkajs 2.2.4 groups a request's messages by partition by copying the partition's list for every message
// (quadratic in messages per partition); scripts/patches/kafkajs+2.2.4.patch, applied by `npm install`
// (postinstall), makes it one pass, as tulios/kafkajs#1576 proposes upstream. The grouping must stay what it was.
describe("kafkajs's grouping of a request's messages by partition (patched)", () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const group = require('kafkajs/src/producer/groupMessagesPerPartition') as (args: {
    topic: string;
    partitionMetadata: readonly unknown[];
    messages: readonly { key: string; value: string }[];
    partitioner: (args: { message: { key: string } }) => number;
  }) => Record<string, { key: string; value: string }[]>;

  it('keeps each partition its messages, in the order they were given', () => {
    const messages = Array.from({ length: 20_000 }, (_, i) => ({ key: `k${i % 7}`, value: `v${i}` }));
    const grouped = group({
      topic: 't',
      partitionMetadata: [{}, {}, {}],
      messages,
      partitioner: ({ message }) => Number(message.key.slice(1)) % 3,
    });
    expect(Object.keys(grouped)).toEqual(['0', '1', '2']);
    for (const p of [0, 1, 2]) {
      expect(grouped[String(p)]).toEqual(messages.filter((m) => Number(m.key.slice(1)) % 3 === p));
    }
    expect(Object.values(grouped).reduce((n, list) => n + list.length, 0)).toBe(20_000);
  });

  it('answers nothing for a topic without partitions', () => {
    expect(
      group({
        topic: 't',
        partitionMetadata: [],
        messages: [{ key: 'a', value: 'b' }],
        partitioner: () => 0,
      }),
    ).toEqual({});
  });

  it('is the patched one (installed by npm install)', () => {
    expect(group.toString()).not.toContain('[...current, message]');
  });
});

// The same patch encodes a produce request's records without a Buffer per varint, an encoder per header, a spread
// copy of each message or a records encoder grown by doubling. The bytes must be exactly what kafkajs 2.2.4 wrote:
// the digests below were taken from the unpatched kafkajs on this request.
describe("kafkajs's produce request encoding (patched)", () => {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const produce = require('kafkajs/src/protocol/requests/produce/v7/request') as (args: object) => {
    encode(): Promise<{ buffer: Buffer }>;
  };
  /* eslint-enable @typescript-eslint/no-require-imports */
  const messages = (p: number) =>
    Array.from({ length: 50 }, (_, i) => ({
      key: i % 7 === 0 ? null : `subject-${p}-${i}`,
      value:
        i % 11 === 0
          ? Buffer.from(`{"n":${i},"é":"${'ü'.repeat(i)}"}`)
          : `{"n":${i},"text":"${'x'.repeat(i * 37)}","é":"ü"}`,
      ...(i % 3 !== 0 && {
        headers: {
          'mash-event-id': `event-${p}-${i}`,
          'mash-event-type': i % 2 ? 'status-change' : Buffer.from('bytes'),
          ...(i % 5 === 0 && { many: ['a', 'b'] }),
        },
      }),
      timestamp: String(1764547200000 + i * 1000 + p),
    }));
  const request = (compression: CompressionTypes) =>
    produce({
      acks: -1,
      timeout: 30000,
      compression,
      producerId: 4711,
      producerEpoch: 3,
      transactionalId: undefined,
      topicData: [
        {
          topic: 'mash.status-changes.v1',
          partitions: [0, 1, 2].map((p) => ({ partition: p, firstSequence: 10 * p, messages: messages(p) })),
        },
        {
          topic: 'mash.case-events.v1',
          partitions: [{ partition: 4, firstSequence: 0, messages: messages(9) }],
        },
      ],
    });

  it.each([
    [
      'uncompressed',
      CompressionTypes.None,
      182749,
      '8c56aa94a4bd696898d071c682edab44a24ed8f6b146c1b0a66430e364acc2db',
    ],
    [
      'Snappy',
      CompressionTypes.Snappy,
      13929,
      'de5e8c82ac46ede67fd2d7803d8856d3cadcd8d9f5834f8559ce0785d4c53c4e',
    ],
    ['LZ4', CompressionTypes.LZ4, 7641, 'd58d33b750d6ca4ef2518fb49695957b708c13833b3291fb0bdaf54507705f3a'],
  ])('writes the same bytes as kafkajs 2.2.4, %s', async (_name, compression, length, sha256) => {
    const { buffer } = await request(compression).encode();
    expect(buffer.length).toBe(length);
    expect(createHash('sha256').update(buffer).digest('hex')).toBe(sha256);
  });
});
