import type { IHeaders } from 'kafkajs';
import { DeadLetterHeaders } from '@mash/schema';
import type { ConsumedMessage } from './consumer';
import type { EventProducer } from './producer';

/** The headers of a dead-letter record: the original headers, then the reason and where the record came from. */
export function deadLetterHeaders(
  message: ConsumedMessage,
  code: string,
  reason: string,
  rejectedAt: string,
): IHeaders {
  return {
    ...message.headers,
    [DeadLetterHeaders.code]: code,
    [DeadLetterHeaders.reason]: reason,
    [DeadLetterHeaders.sourceTopic]: message.topic,
    [DeadLetterHeaders.sourcePartition]: String(message.partition),
    [DeadLetterHeaders.sourceOffset]: message.offset,
    [DeadLetterHeaders.rejectedAt]: rejectedAt,
  };
}

/** Publishes a rejected record to a dead-letter topic: its original key and bytes, with the reason in headers. */
export async function sendToDeadLetter(
  producer: EventProducer,
  topic: string,
  message: ConsumedMessage,
  code: string,
  reason: string,
  rejectedAt = new Date().toISOString(),
): Promise<void> {
  await producer.send(topic, [
    {
      key: message.key ?? '',
      value: message.value ?? Buffer.alloc(0),
      headers: deadLetterHeaders(message, code, reason, rejectedAt),
    },
  ]);
}
