import { Kafka, type IHeaders } from 'kafkajs';
import { DeadLetterHeaders } from '@mash/schema';
import { eventually } from './gateway-client';
import { testKafkaConfig } from './kafka';

export interface DeadLetter {
  readonly key: string | null;
  readonly value: string;
  readonly code: string | undefined;
  readonly reason: string | undefined;
  readonly sourceTopic: string | undefined;
  readonly sourceOffset: string | undefined;
}

const header = (headers: IHeaders, name: string) => headers[name]?.toString();

/** Reads a dead-letter topic from the start until `count` records have arrived (a consumer of its own group). */
export async function deadLettersOn(topic: string, count: number): Promise<DeadLetter[]> {
  const kafka = new Kafka(testKafkaConfig('dead-letter-reader'));
  const consumer = kafka.consumer({ groupId: `${topic}-reader-${Date.now()}`, maxWaitTimeInMs: 200 });
  const letters: DeadLetter[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        const headers = message.headers ?? {};
        letters.push({
          key: message.key?.toString('utf8') ?? null,
          value: message.value?.toString('utf8') ?? '',
          code: header(headers, DeadLetterHeaders.code),
          reason: header(headers, DeadLetterHeaders.reason),
          sourceTopic: header(headers, DeadLetterHeaders.sourceTopic),
          sourceOffset: header(headers, DeadLetterHeaders.sourceOffset),
        });
      },
    });
    return await eventually(async () => (letters.length >= count ? [...letters] : undefined), {
      what: `${count} records on ${topic}`,
    });
  } finally {
    await consumer.disconnect();
  }
}
