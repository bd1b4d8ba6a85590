import { topics } from '@mash/schema';
import { eventContract } from './events';
import { ExitCode, type CommandResult } from './output';

/** `mash-connect types`: every published event type with its topic, schema id and examples. */
export function typesCommand(topicPrefix: string): CommandResult {
  const list = eventContract().types.map((t) => ({
    type: t.type,
    family: t.family,
    topic: topics(topicPrefix).agencyTemplate(t.family),
    schemaId: t.schemaId,
    title: t.title,
    description: t.description,
    schema: t.schema,
    examples: t.examples,
  }));
  const text = list.flatMap((t) => [
    `${t.type}`,
    `  ${t.title}`,
    `  topic ${t.topic}, schema ${t.schemaId}`,
    ...t.examples.map((e) => `  example data: ${JSON.stringify(e)}`),
  ]);
  return { exitCode: ExitCode.ok, json: { types: list }, text };
}
