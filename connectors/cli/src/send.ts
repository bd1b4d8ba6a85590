import type { Kafka } from 'kafkajs';
import { eventValidator, routingOf } from './validate';
import { ExitCode, type CommandResult } from './output';

export interface SendInput {
  /** What the bytes are, for messages: the file name or `sample <type>`. */
  readonly label: string;
  readonly bytes: Buffer;
  readonly topicPrefix: string;
  /** Overrides the key taken from the event's subject. */
  readonly key?: string;
}

/**
 * `mash-connect send`: validates the event exactly as the connector will (an invalid event is not sent), then
 * publishes its bytes unchanged to its family's topic keyed by the subject identifier.
 */
export async function sendCommand(kafka: Kafka, input: SendInput): Promise<CommandResult> {
  const result = eventValidator().validate(input.bytes);
  if (!result.ok) {
    return {
      exitCode: ExitCode.failed,
      json: { ok: false, sent: false, event: input.label, code: result.code, reason: result.reason },
      text: [`${input.label}: not sent, ${result.code}`, `  ${result.reason}`],
    };
  }
  const routing = routingOf(result, input.topicPrefix);
  const key = input.key ?? routing.key;
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  try {
    const [meta] = await producer.send({
      topic: routing.topic,
      acks: -1,
      messages: [{ key, value: input.bytes }],
    });
    const { id, source, type } = result.event;
    const partition = meta?.partition ?? null;
    const offset = meta?.baseOffset ?? null;
    return {
      exitCode: ExitCode.ok,
      json: {
        ok: true,
        sent: true,
        event: input.label,
        id,
        source,
        type,
        topic: routing.topic,
        key,
        partition,
        offset,
      },
      text: [
        `sent ${type} ${id} to ${routing.topic} (key ${key ?? '(none)'}, partition ${partition}, offset ${offset})`,
      ],
    };
  } finally {
    await producer.disconnect();
  }
}
