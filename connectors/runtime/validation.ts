import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { TextDecoder } from 'node:util';
import { Ajv2020, type AnySchemaObject, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { eventSchemaDirectory, type CloudEvent } from '@mash/schema';
import { isValidNhsNumber, isValidUpn } from './identifiers';
import { describeJsonParseError } from '@mash/kafka';
import { schemaId } from './naming';

/** The envelope's schema file; every other `<type>.schema.json` in the directory is one event type's data. */
export const ENVELOPE_SCHEMA_FILE = 'cloudevent.schema.json';
const TYPE_SCHEMA_SUFFIX = '.schema.json';
const MAX_REASONS = 5;
const MAX_REASON_LENGTH = 1000;

export type ValidationFailureCode =
  'EVENT_NOT_JSON' | 'EVENT_ENVELOPE_INVALID' | 'EVENT_TYPE_UNKNOWN' | 'EVENT_DATA_INVALID';

export type ValidationResult =
  | { readonly ok: true; readonly event: CloudEvent }
  | {
      readonly ok: false;
      readonly code: ValidationFailureCode;
      readonly reason: string;
      /** The envelope's source and type, when the envelope itself was valid. */
      readonly envelope?: { readonly source: string; readonly type: string };
    };

/** A schema directory that cannot be loaded: a deployment fault, so start-up fails. */
export class EventSchemaError extends Error {
  readonly retriable = false;
  constructor(message: string) {
    super(message);
    this.name = 'EventSchemaError';
  }
}

/**
 * Checks raw message values against the published contracts: JSON, then the CloudEvents envelope, then the type's
 * JSON Schema (draft 2020-12) for `data`. Reasons name the failing JSON Pointer and rule, never the values, so they
 * can be shown to agency integrators (who see no personal data).
 */
export class EventValidator {
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });

  private constructor(
    private readonly envelope: ValidateFunction,
    private readonly byType: ReadonlyMap<string, ValidateFunction>,
  ) {}

  /** Loads and compiles every schema in the directory, once. Throws EventSchemaError on a bad directory. */
  static load(directory: string = eventSchemaDirectory): EventValidator {
    const ajv = new Ajv2020({ strict: true, allErrors: true });
    addFormats(ajv);
    ajv.addFormat('nhs-number', { type: 'string', validate: isValidNhsNumber });
    ajv.addFormat('upn', { type: 'string', validate: isValidUpn });

    const files = readdirSync(directory).filter((f) => f.endsWith(TYPE_SCHEMA_SUFFIX));
    if (!files.includes(ENVELOPE_SCHEMA_FILE)) {
      throw new EventSchemaError(`${directory} has no ${ENVELOPE_SCHEMA_FILE}`);
    }
    const compile = (file: string): { id: string; validate: ValidateFunction } => {
      const schema = JSON.parse(readFileSync(path.join(directory, file), 'utf8')) as AnySchemaObject;
      if (typeof schema.$id !== 'string') throw new EventSchemaError(`${file} has no $id`);
      try {
        return { id: schema.$id, validate: ajv.compile(schema) };
      } catch (err) {
        throw new EventSchemaError(`${file} does not compile: ${(err as Error).message}`);
      }
    };
    const envelope = compile(ENVELOPE_SCHEMA_FILE).validate;
    const byType = new Map<string, ValidateFunction>();
    for (const file of files) {
      if (file === ENVELOPE_SCHEMA_FILE) continue;
      const type = file.slice(0, -TYPE_SCHEMA_SUFFIX.length);
      const { id, validate } = compile(file);
      if (id !== schemaId(type))
        throw new EventSchemaError(`${file} must have $id "${schemaId(type)}", not "${id}"`);
      byType.set(type, validate);
    }
    return new EventValidator(envelope, byType);
  }

  /** The event types with a published schema. */
  get types(): readonly string[] {
    return [...this.byType.keys()].sort();
  }

  validate(bytes: Buffer | null): ValidationResult {
    if (bytes === null || bytes.length === 0) return fail('EVENT_NOT_JSON', 'the message has no value');
    let text: string;
    try {
      text = this.decoder.decode(bytes);
    } catch {
      return fail('EVENT_NOT_JSON', 'the message value is not UTF-8 text');
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (err) {
      return fail('EVENT_NOT_JSON', `the message value is not JSON: ${describeJsonParseError(err)}`);
    }
    if (!this.envelope(json)) {
      return fail('EVENT_ENVELOPE_INVALID', describeSchemaErrors(this.envelope.errors ?? [], ''));
    }
    const event = json as unknown as CloudEvent;
    const envelope = { source: event.source, type: event.type };
    const validateData = this.byType.get(event.type);
    if (!validateData) {
      return fail('EVENT_TYPE_UNKNOWN', `no JSON Schema is published for type "${event.type}"`, envelope);
    }
    if (event.dataschema !== undefined && event.dataschema !== schemaId(event.type)) {
      return fail(
        'EVENT_ENVELOPE_INVALID',
        `/dataschema: must be "${schemaId(event.type)}" for type "${event.type}" (or be left out)`,
        envelope,
      );
    }
    if (!validateData(event.data)) {
      return fail('EVENT_DATA_INVALID', describeSchemaErrors(validateData.errors ?? [], '/data'), envelope);
    }
    return { ok: true, event };
  }
}

function fail(
  code: ValidationFailureCode,
  reason: string,
  envelope?: { source: string; type: string },
): ValidationResult {
  const short = reason.length > MAX_REASON_LENGTH ? `${reason.slice(0, MAX_REASON_LENGTH - 1)}…` : reason;
  return { ok: false, code, reason: short, ...(envelope && { envelope }) };
}

/** Human reasons from ajv errors: `<JSON Pointer>: <rule>`, joined by "; ". */
export function describeSchemaErrors(errors: readonly ErrorObject[], prefix: string): string {
  const parts = errors
    // The pattern error under propertyNames already names the property, and the error inside a failed if/then
    // names the field and rule; skip ajv's summaries of them.
    .filter((e) => e.keyword !== 'propertyNames' && e.keyword !== 'if')
    .map((e) => describeOne(e, prefix));
  const unique = [...new Set(parts)];
  const shown = unique.slice(0, MAX_REASONS).join('; ');
  return unique.length > MAX_REASONS ? `${shown}; and ${unique.length - MAX_REASONS} more` : shown;
}

function describeOne(e: ErrorObject, prefix: string): string {
  const where = `${prefix}${e.instancePath}` || '/';
  const params = e.params as Record<string, unknown>;
  if (e.propertyName !== undefined)
    return `${where}: property name "${e.propertyName}" ${e.message ?? 'is invalid'}`;
  switch (e.keyword) {
    case 'additionalProperties':
      return `${where}: unknown property "${String(params['additionalProperty'])}"`;
    case 'enum':
      return `${where}: must be one of ${(params['allowedValues'] as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'const':
      return `${where}: must be ${JSON.stringify(params['allowedValue'])}`;
    case 'false schema':
      return `${where}: must not be present here`;
    default:
      return `${where}: ${e.message ?? e.keyword}`;
  }
}
