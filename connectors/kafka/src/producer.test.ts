import { KafkaJSNonRetriableError, KafkaJSProtocolError } from 'kafkajs';
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
