import { readFileSync } from 'node:fs';
import {
  createCloudEvent,
  familyDefinition,
  familyOfType,
  loadEventContract,
  mapperFor,
  type EventContract,
  type PublishedEventType,
} from '@mash/connectors';
import { Demo, type AgencyFamily, type CloudEvent } from '@mash/schema';
import { UsageError } from './output';

/** The demo partnership's source system per family, used by `--sample` when no `--source` is given. */
export const DEMO_SOURCES: Partial<Record<AgencyFamily, string>> = {
  police: Demo.sourceSystems.police.code,
  'la-children': Demo.sourceSystems.laChildren.code,
  'la-adults': Demo.sourceSystems.laAdults.code,
  health: Demo.sourceSystems.health.code,
  education: Demo.sourceSystems.education.code,
};

let contract: EventContract | undefined;
/** The published contracts, read once. */
export function eventContract(): EventContract {
  return (contract ??= loadEventContract());
}

export function publishedType(type: string): PublishedEventType {
  const found = eventContract().types.find((t) => t.type === type);
  if (!found) {
    const known = eventContract()
      .types.map((t) => t.type)
      .join(', ');
    throw new UsageError(`no published event type "${type}" (types: ${known})`);
  }
  return found;
}

/** The bytes of a file, or a usage error naming it. */
export function readEventFile(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (err) {
    throw new UsageError(
      `cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    );
  }
}

export interface SampleOptions {
  readonly source?: string;
  readonly id?: string;
}

/** A valid event of the type built from its schema's first example, from a demo (or the given) source system. */
export function sampleEvent(type: string, options: SampleOptions = {}): CloudEvent {
  const published = publishedType(type);
  const data = published.examples[0];
  if (data === undefined) throw new UsageError(`the schema of ${type} carries no example`);
  const source = options.source ?? DEMO_SOURCES[published.family];
  if (source === undefined)
    throw new UsageError(`no demo source system for ${published.family}: give --source`);
  return createCloudEvent({
    sourceSystem: source,
    type,
    data,
    ...(options.id !== undefined && { id: options.id }),
  });
}

/**
 * The record key for a valid event: the agency's identifier of the subject, as the family's mapper reads it (so it
 * holds for every type, whatever the shape of its data), else `data.subject.value`.
 */
export function eventKey(event: CloudEvent): string | null {
  const family = familyOfType(event.type);
  const definition = family === null ? undefined : familyDefinition(family);
  const mapper = definition && mapperFor(definition, event.type);
  if (mapper) {
    try {
      return mapper(event).subject.value;
    } catch {
      // fall through to the conventional place
    }
  }
  const subject = (event.data as { subject?: { value?: unknown } } | undefined)?.subject;
  return typeof subject?.value === 'string' ? subject.value : null;
}
