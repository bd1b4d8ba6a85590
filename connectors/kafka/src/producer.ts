import { Partitioners, type IHeaders, type Kafka, type Producer } from 'kafkajs';
import { kafkaRetry } from './retry';

export interface OutgoingMessage {
  readonly key: string;
  readonly value: Buffer | string | object;
  readonly headers?: IHeaders;
}

/**
 * An idempotent producer (acks from all in-sync replicas, one request in flight so per-key order holds through
 * retries). Values that are objects are sent as JSON.
 */
export class EventProducer {
  private readonly producer: Producer;
  private connected = false;

  constructor(kafka: Kafka) {
    this.producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      retry: kafkaRetry.producer,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
  }

  async connect(): Promise<void> {
    if (!this.connected) {
      await this.producer.connect();
      this.connected = true;
    }
  }

  async send(topic: string, messages: readonly OutgoingMessage[]): Promise<void> {
    if (messages.length === 0) return;
    await this.producer.send({
      topic,
      acks: -1,
      messages: messages.map((m) => ({
        key: m.key,
        value: Buffer.isBuffer(m.value) || typeof m.value === 'string' ? m.value : JSON.stringify(m.value),
        ...(m.headers && { headers: m.headers }),
      })),
    });
  }

  async stop(): Promise<void> {
    if (this.connected) {
      await this.producer.disconnect();
      this.connected = false;
    }
  }
}
