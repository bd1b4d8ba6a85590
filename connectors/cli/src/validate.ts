import { EventValidator, familyOfType, type ValidationResult } from '@mash/connectors';
import { topics } from '@mash/schema';

/** The code of a `urn:mash:source:<code>` source, or null. */
function sourceCodeOf(source: string): string | null {
  const match = /^urn:mash:source:([a-z0-9][a-z0-9-]*)$/.exec(source);
  return match?.[1] ?? null;
}
import { eventKey } from './events';
import { ExitCode, type CommandResult } from './output';

let validator: EventValidator | undefined;
/** The connector's own validator over the published schemas, loaded once. */
export function eventValidator(): EventValidator {
  return (validator ??= EventValidator.load());
}

export interface Routing {
  readonly topic: string;
  readonly key: string | null;
}

/**
 * The topic (the source system's own, in the type's family: only its principal may write there) and key (the
 * subject identifier) of a valid event.
 */
export function routingOf(result: Extract<ValidationResult, { ok: true }>, topicPrefix: string): Routing {
  const family = familyOfType(result.event.type);
  const code = sourceCodeOf(result.event.source);
  return {
    topic: family === null || code === null ? '' : topics(topicPrefix).agency(family, code),
    key: eventKey(result.event),
  };
}

/** `mash-connect validate <file>`: the code and reason the connector would dead-letter the event with, if any. */
export function validateCommand(file: string, bytes: Buffer, topicPrefix: string): CommandResult {
  const result = eventValidator().validate(bytes);
  if (!result.ok) {
    return {
      exitCode: ExitCode.failed,
      json: {
        ok: false,
        file,
        code: result.code,
        reason: result.reason,
        ...(result.envelope && result.envelope),
      },
      text: [`${file}: ${result.code}`, `  ${result.reason}`],
    };
  }
  const { topic, key } = routingOf(result, topicPrefix);
  const { id, source, type } = result.event;
  return {
    exitCode: ExitCode.ok,
    json: { ok: true, file, id, source, type, topic, key },
    text: [
      `${file}: valid ${type}`,
      `  topic ${topic}, key ${key ?? '(none)'}`,
      '  (the connector also checks that the source system is registered for this family)',
    ],
  };
}
