import { Partitioners, type IHeaders, type Kafka, type Producer } from 'kafkajs';
import { kafkaRetry } from './retry';

export interface OutgoingMessage {
  readonly key: string;
  readonly value: Buffer | string | object;
  readonly headers?: IHeaders;
}

/**
 * Broker errors that say the producer's idempotence state (its producer id, epoch and sequence numbers) no longer
 * matches the broker's, not that anything is wrong with the records: after a broker restart, a send that failed
 * midway leaves kafkajs's sequence numbers ahead of or behind the broker's, and every later send of that producer
 * is refused with OUT_OF_ORDER_SEQUENCE_NUMBER. kafkajs marks them not retriable; a new producer (a new id) sends
 * the same records again.
 */
const PRODUCER_STATE_ERRORS: ReadonlySet<string> = new Set([
  'OUT_OF_ORDER_SEQUENCE_NUMBER',
  'DUPLICATE_SEQUENCE_NUMBER',
  'UNKNOWN_PRODUCER_ID',
  'INVALID_PRODUCER_EPOCH',
  'INVALID_PRODUCER_ID_MAPPING',
  'PRODUCER_FENCED',
]);

/** True when a send failed because the producer's idempotence state was lost (see PRODUCER_STATE_ERRORS). */
export function producerStateLost(err: unknown): boolean {
  let e = err as { type?: unknown; cause?: unknown; originalError?: unknown } | undefined;
  for (let depth = 0; e && depth < 5; depth++) {
    if (typeof e.type === 'string' && PRODUCER_STATE_ERRORS.has(e.type)) return true;
    e = (e.cause ?? e.originalError) as typeof e;
  }
  return false;
}

/**
 * An idempotent producer (acks from all in-sync replicas, one request in flight so per-key order holds through
 * retries). Values that are objects are sent as JSON. When the broker says the producer's idempotence state was
 * lost (after a broker restart), the producer is replaced by a new one and the send tried once more on it: the
 * records may then be written twice (at least once; every consumer is idempotent), never dropped.
 */
export class EventProducer {
  private producer: Producer;
  private connecting: Promise<void> | undefined;
  /** How many times the producer was replaced after losing its idempotence state. */
  renewals = 0;

  constructor(private readonly kafka: Kafka) {
    this.producer = this.create();
  }

  private create(): Producer {
    return this.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      retry: kafkaRetry.producer,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
  }

  /** The current producer, connected (a failed connect is tried again by the next caller). */
  private async current(): Promise<Producer> {
    const producer = this.producer;
    this.connecting ??= producer.connect().catch((err: unknown) => {
      if (this.producer === producer) this.connecting = undefined;
      throw err;
    });
    await this.connecting;
    return producer;
  }

  async connect(): Promise<void> {
    await this.current();
  }

  async send(topic: string, messages: readonly OutgoingMessage[]): Promise<void> {
    if (messages.length === 0) return;
    const record = {
      topic,
      acks: -1,
      messages: messages.map((m) => ({
        key: m.key,
        value: Buffer.isBuffer(m.value) || typeof m.value === 'string' ? m.value : JSON.stringify(m.value),
        ...(m.headers && { headers: m.headers }),
      })),
    };
    const producer = await this.current();
    try {
      await producer.send(record);
    } catch (err) {
      if (!producerStateLost(err)) throw err;
      this.renew(producer);
      await (await this.current()).send(record);
    }
  }

  /** Replaces `failed` by a new producer, unless a concurrent send already did. */
  private renew(failed: Producer): void {
    if (this.producer !== failed) return;
    this.renewals++;
    this.producer = this.create();
    this.connecting = undefined;
    failed.disconnect().catch(() => undefined);
  }

  async stop(): Promise<void> {
    if (this.connecting) {
      this.connecting = undefined;
      await this.producer.disconnect();
    }
  }
}
