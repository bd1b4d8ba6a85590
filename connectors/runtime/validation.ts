import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { TextDecoder } from 'node:util';
import { Ajv2020, type AnySchemaObject, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { eventSchemaDirectory, type CloudEvent } from '@mash/schema';
import { isValidNhsNumber, isValidUpn } from './identifiers';
import { describeJsonParseError } from '@mash/kafka';
import { FAMILY_DEFINITIONS } from './families';
import type { DataCheck, DataIssue } from './family';
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
      /** Which fields broke which rules, in words (the dead-letter reason); never a value. */
      readonly reason: string;
      /** The same as fields and rules (the first few), for connector health. */
      readonly issues: readonly DataIssue[];
      /** The envelope's source and type, when the envelope itself was valid. */
      readonly envelope?: { readonly source: string; readonly type: string };
    };

/** A record that failed validation: why, in words and as fields and rules. */
export type ValidationFailure = Extract<ValidationResult, { readonly ok: false }>;

/** The data checks of every defined family's types (FHIR conformance of the health family's FHIR types). */
export function familyDataChecks(): ReadonlyMap<string, DataCheck> {
  return new Map(FAMILY_DEFINITIONS.flatMap((d) => Object.entries(d.dataChecks ?? {})));
}

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
 * data check if it has one (FHIR R4 conformance), then its JSON Schema (draft 2020-12) for `data`. Reasons name the
 * failing field (JSON Pointer, or FHIR path for FHIR types) and rule, never the values, so they can be shown to
 * agency integrators (who see no personal data).
 */
export class EventValidator {
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });

  private constructor(
    private readonly envelope: ValidateFunction,
    private readonly byType: ReadonlyMap<string, ValidateFunction>,
    private readonly checks: ReadonlyMap<string, DataCheck>,
  ) {}

  /**
   * Loads and compiles every schema in the directory, once, with the types' data checks (default: the families').
   * Throws EventSchemaError on a bad directory.
   */
  static load(
    directory: string = eventSchemaDirectory,
    checks: ReadonlyMap<string, DataCheck> = familyDataChecks(),
  ): EventValidator {
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
    return new EventValidator(envelope, byType, checks);
  }

  /** The event types with a published schema. */
  get types(): readonly string[] {
    return [...this.byType.keys()].sort();
  }

  validate(bytes: Buffer | null): ValidationResult {
    const result = this.validateJson(bytes);
    return result.ok ? { ok: true, event: result.event } : result;
  }

  /**
   * As `validate`, also answering the record's value as text when valid: the event's JSON as the source system
   * sent it, which the connector stores as is instead of serialising the parsed event again.
   */
  validateJson(
    bytes: Buffer | null,
  ): ValidationFailure | { readonly ok: true; readonly event: CloudEvent; readonly json: string } {
    const notJson = (message: string) =>
      fail('EVENT_NOT_JSON', [{ field: '/', rule: 'json', message, reason: message }]);
    if (bytes === null || bytes.length === 0) return notJson('the message has no value');
    let text: string;
    try {
      text = this.decoder.decode(bytes);
    } catch {
      return notJson('the message value is not UTF-8 text');
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (err) {
      return notJson(`the message value is not JSON: ${describeJsonParseError(err)}`);
    }
    if (!this.envelope(json)) {
      return fail('EVENT_ENVELOPE_INVALID', schemaIssues(this.envelope.errors ?? [], ''));
    }
    const event = json as unknown as CloudEvent;
    const envelope = { source: event.source, type: event.type };
    const validateData = this.byType.get(event.type);
    if (!validateData) {
      const message = `no JSON Schema is published for type "${event.type}"`;
      const issue = { field: '/type', rule: 'published-type', message, reason: message };
      return fail('EVENT_TYPE_UNKNOWN', [issue], envelope);
    }
    if (event.dataschema !== undefined && event.dataschema !== schemaId(event.type)) {
      const message = `must be "${schemaId(event.type)}" for type "${event.type}" (or be left out)`;
      const issue = { field: '/dataschema', rule: 'const', message, reason: `/dataschema: ${message}` };
      return fail('EVENT_ENVELOPE_INVALID', [issue], envelope);
    }
    const check = this.checks.get(event.type);
    const checked = (check?.issues(event.data) ?? []).map((i) => ({
      ...i,
      reason: `${i.field}: ${i.message}`,
    }));
    if (checked.length > 0) return fail('EVENT_DATA_INVALID', checked, envelope);
    if (!validateData(event.data)) {
      const fieldOf = check?.fieldOf;
      const where = fieldOf ? (pointer: string) => fieldOf(pointer) : undefined;
      return fail('EVENT_DATA_INVALID', schemaIssues(validateData.errors ?? [], '/data', where), envelope);
    }
    return { ok: true, event, json: text };
  }
}

/** An issue as the validator reports it, with its part of the reason. */
interface Issue extends DataIssue {
  /** `<where>: <what is wrong>`, as the dead-letter reason gives it. */
  readonly reason: string;
}

function fail(
  code: ValidationFailureCode,
  found: readonly Issue[],
  envelope?: { source: string; type: string },
): ValidationFailure {
  const reason = describeIssues(found);
  const short = reason.length > MAX_REASON_LENGTH ? `${reason.slice(0, MAX_REASON_LENGTH - 1)}…` : reason;
  const issues = uniqueIssues(found)
    .slice(0, MAX_REASONS)
    .map(({ field, rule, message }) => ({ field, rule, message }));
  return { ok: false, code, reason: short, issues, ...(envelope && { envelope }) };
}

function uniqueIssues(found: readonly Issue[]): Issue[] {
  const seen = new Set<string>();
  return found.filter((i) => !seen.has(i.reason) && seen.add(i.reason));
}

/** The reason of a rejection: each issue's words, joined by "; ", the first few of them. */
function describeIssues(found: readonly Issue[]): string {
  const unique = [...new Set(found.map((i) => i.reason))];
  const shown = unique.slice(0, MAX_REASONS).join('; ');
  return unique.length > MAX_REASONS ? `${shown}; and ${unique.length - MAX_REASONS} more` : shown;
}

/**
 * Issues from ajv errors: the field is where the rule broke (for a missing property, the property's own path; for
 * an unknown property, its parent: its name came from the sender), the rule is the JSON Schema keyword.
 */
function schemaIssues(
  errors: readonly ErrorObject[],
  prefix: string,
  where: (pointer: string) => string = (pointer) => pointer || '/',
): Issue[] {
  return (
    errors
      // The pattern error under propertyNames already names the property, and the error inside a failed if/then
      // names the field and rule; skip ajv's summaries of them.
      .filter((e) => e.keyword !== 'propertyNames' && e.keyword !== 'if')
      .map((e) => {
        const at = `${prefix}${e.instancePath}`;
        const missing = (e.params as Record<string, unknown>)['missingProperty'];
        const field = e.keyword === 'required' && typeof missing === 'string' ? `${at}/${missing}` : at;
        const message = describeOne(e);
        return { field: where(field), rule: e.keyword, message, reason: `${where(at)}: ${message}` };
      })
  );
}

/** Human reasons from ajv errors: `<JSON Pointer>: <rule>`, joined by "; ". */
export function describeSchemaErrors(errors: readonly ErrorObject[], prefix: string): string {
  return describeIssues(schemaIssues(errors, prefix));
}

function describeOne(e: ErrorObject): string {
  const params = e.params as Record<string, unknown>;
  if (e.propertyName !== undefined) return `property name "${e.propertyName}" ${e.message ?? 'is invalid'}`;
  switch (e.keyword) {
    case 'additionalProperties':
      return `unknown property "${String(params['additionalProperty'])}"`;
    case 'enum':
      return `must be one of ${(params['allowedValues'] as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'const':
      return `must be ${JSON.stringify(params['allowedValue'])}`;
    case 'false schema':
      return 'must not be present here';
    default:
      return e.message ?? e.keyword;
  }
}
