import { CompressionTypes, type IHeaders, type Kafka, type Message, type Producer } from 'kafkajs';
import { compressionType, DEFAULT_KAFKA_COMPRESSION, type KafkaCompression } from './compression';
import { defaultPartitioner } from './partitioner';
import { kafkaRetry } from './retry';

export interface OutgoingMessage {
  readonly key: string;
  readonly value: Buffer | string | object;
  readonly headers?: IHeaders;
}

export interface EventProducerOptions {
  /**
   * Sends asked for while a produce request is in flight wait and go together in the next request (one request,
   * one acknowledgement, for every topic and caller), instead of queueing one request each behind the broker lock
   * of the idempotent producer. Each caller's messages keep their order and its promise settles with that request.
   * Default false: one request per `send`, so the broker refusing one caller's message fails no other caller.
   */
  readonly coalesce?: boolean;
  /** How each request's record batches are compressed (default Snappy: see `compression.ts`). */
  readonly compression?: KafkaCompression;
}

/**
 * The most messages a coalesced request carries, which bounds a request's size and how long one send holds the
 * others behind it. (kafkajs 2.2.4 grouped a request's messages by partition in quadratic time, which showed in the
 * connector's profile once requests carried several thousand; scripts/patches makes that one pass.)
 */
const MAX_REQUEST_MESSAGES = 2000;

interface Pending {
  readonly topic: string;
  readonly messages: Message[];
  resolve(): void;
  reject(err: unknown): void;
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
  private readonly coalesce: boolean;
  private readonly compression: CompressionTypes;
  private queue: Pending[] = [];
  private flushing = false;
  /** How many times the producer was replaced after losing its idempotence state. */
  renewals = 0;

  constructor(
    private readonly kafka: Kafka,
    options: EventProducerOptions = {},
  ) {
    this.coalesce = options.coalesce ?? false;
    this.compression = compressionType(options.compression ?? DEFAULT_KAFKA_COMPRESSION);
    this.producer = this.create();
  }

  private create(): Producer {
    return this.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      retry: kafkaRetry.producer,
      createPartitioner: defaultPartitioner,
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

  /** Runs one produce request; after a lost idempotence state, once more on a new producer. */
  private async deliver(request: (producer: Producer) => Promise<unknown>): Promise<void> {
    const producer = await this.current();
    try {
      await request(producer);
    } catch (err) {
      if (!producerStateLost(err)) throw err;
      this.renew(producer);
      await request(await this.current());
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

  async send(topic: string, messages: readonly OutgoingMessage[]): Promise<void> {
    if (messages.length === 0) return;
    const encoded = messages.map((m): Message => ({
      key: m.key,
      value: Buffer.isBuffer(m.value) || typeof m.value === 'string' ? m.value : JSON.stringify(m.value),
      ...(m.headers && { headers: m.headers }),
    }));
    if (!this.coalesce) {
      await this.deliver((p) =>
        p.send({ topic, acks: -1, compression: this.compression, messages: encoded }),
      );
      return;
    }
    await new Promise<void>((resolve, reject) => {
      this.queue.push({ topic, messages: encoded, resolve, reject });
      void this.flush();
    });
  }

  /**
   * Sends everything queued, one request at a time, each taking what queued while the previous was out (up to
   * MAX_REQUEST_MESSAGES; a caller with more is sent alone in requests of that size, in order).
   */
  private async flush(): Promise<void> {
    if (this.flushing) return;
    this.flushing = true;
    try {
      while (this.queue.length > 0) {
        const pending: Pending[] = [this.queue.shift()!];
        let count = pending[0]!.messages.length;
        while (this.queue.length > 0 && count + this.queue[0]!.messages.length <= MAX_REQUEST_MESSAGES) {
          const next = this.queue.shift()!;
          pending.push(next);
          count += next.messages.length;
        }
        try {
          if (pending.length === 1) {
            const { topic, messages } = pending[0]!;
            for (let i = 0; i < messages.length; i += MAX_REQUEST_MESSAGES) {
              const part = messages.slice(i, i + MAX_REQUEST_MESSAGES);
              await this.deliver((p) =>
                p.send({ topic, acks: -1, compression: this.compression, messages: part }),
              );
            }
          } else {
            const byTopic = new Map<string, Message[]>();
            for (const p of pending) {
              const list = byTopic.get(p.topic);
              if (list) for (const m of p.messages) list.push(m);
              else byTopic.set(p.topic, [...p.messages]);
            }
            const topicMessages = [...byTopic].map(([topic, messages]) => ({ topic, messages }));
            await this.deliver((p) =>
              p.sendBatch({ acks: -1, compression: this.compression, topicMessages }),
            );
          }
          for (const p of pending) p.resolve();
        } catch (err) {
          for (const p of pending) p.reject(err);
        }
      }
    } finally {
      this.flushing = false;
    }
  }

  async stop(): Promise<void> {
    if (this.connecting) {
      this.connecting = undefined;
      await this.producer.disconnect();
    }
  }
}
