import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { eventSchemaDirectory, type AgencyFamily } from '@mash/schema';
import { ENVELOPE_SCHEMA_FILE } from './validation';
import { familyOfType, schemaId } from './naming';

const TYPE_SCHEMA_SUFFIX = '.schema.json';

/** A JSON Schema as published (draft 2020-12), read as plain JSON. */
export type JsonSchemaDocument = Readonly<Record<string, unknown>>;

/** One published event type: its name, family, schema and examples, as `schema/events/<type>.schema.json` holds. */
export interface PublishedEventType {
  readonly type: string;
  readonly family: AgencyFamily;
  /** The schema's `$id` (`urn:mash:schema:<type>`), also the value of `dataschema`. */
  readonly schemaId: string;
  readonly title: string;
  readonly description: string;
  readonly schema: JsonSchemaDocument;
  /** The `data` examples the schema carries. */
  readonly examples: readonly unknown[];
}

/** The published event contracts: the CloudEvents envelope and every event type, sorted by type. */
export interface EventContract {
  readonly envelope: JsonSchemaDocument;
  readonly types: readonly PublishedEventType[];
}

/** Reads the published contracts from the schema directory (the one the connector validates against). */
export function loadEventContract(directory: string = eventSchemaDirectory): EventContract {
  const read = (file: string): JsonSchemaDocument =>
    JSON.parse(readFileSync(path.join(directory, file), 'utf8')) as JsonSchemaDocument;
  const files = readdirSync(directory)
    .filter((f) => f.endsWith(TYPE_SCHEMA_SUFFIX) && f !== ENVELOPE_SCHEMA_FILE)
    .sort();
  const types = files.map((file): PublishedEventType => {
    const type = file.slice(0, -TYPE_SCHEMA_SUFFIX.length);
    const family = familyOfType(type);
    if (family === null) throw new Error(`${file}: type "${type}" names no agency family`);
    const schema = read(file);
    return {
      type,
      family,
      schemaId: schemaId(type),
      title: typeof schema['title'] === 'string' ? schema['title'] : type,
      description: typeof schema['description'] === 'string' ? schema['description'] : '',
      schema,
      examples: Array.isArray(schema['examples']) ? (schema['examples'] as unknown[]) : [],
    };
  });
  return { envelope: read(ENVELOPE_SCHEMA_FILE), types };
}
