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
