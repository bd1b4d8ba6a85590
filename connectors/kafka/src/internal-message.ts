import { Ajv, type ValidateFunction } from 'ajv';
import {
  checkMessage,
  INTERNAL_MESSAGE_SCHEMAS,
  messageJsonSchema,
  type CaseEventMessage,
  type ErrorCode,
  type EscalationEventMessage,
  type NotificationMessage,
  type StatusChangeMessage,
} from '@mash/schema';
import { NonRetriableError } from './consumer';
import { describeJsonParseError } from './json-error';

/** The internal messages by the name their reasons call them, and the types they are read as. */
export interface InternalMessages {
  readonly 'status change': StatusChangeMessage;
  readonly 'case event': CaseEventMessage;
  /** Its `type` may be one this version does not know (it then tells nobody). */
  readonly 'escalation event': EscalationEventMessage;
  readonly notification: NotificationMessage;
}
export type InternalMessageKind = keyof InternalMessages;

export type ReadInternalMessage<T> =
  | { readonly ok: true; readonly message: T }
  | {
      readonly ok: false;
      readonly code: Extract<ErrorCode, 'EVENT_NOT_JSON' | 'EVENT_DATA_INVALID'>;
      readonly reason: string;
    };

const decoder = new TextDecoder();

/**
 * `anyOf: [X, {type: 'null'}]` (how zod writes `.nullable()`) as X with `null` among its types (and its enum):
 * the same verdicts, without ajv collecting the failed branch's errors for every null in a case snapshot.
 */
function nullableAsType(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(nullableAsType);
  if (typeof schema !== 'object' || schema === null) return schema;
  const node = schema as Record<string, unknown>;
  const anyOf = node['anyOf'];
  if (Array.isArray(anyOf) && anyOf.length === 2 && Object.keys(node).length === 1) {
    const [inner, none] = anyOf as Record<string, unknown>[];
    if (
      none &&
      inner &&
      Object.keys(none).length === 1 &&
      none['type'] === 'null' &&
      typeof inner['type'] === 'string'
    ) {
      const merged: Record<string, unknown> = { ...(nullableAsType(inner) as object) };
      merged['type'] = [inner['type'], 'null'];
      if (Array.isArray(inner['enum'])) merged['enum'] = [...(inner['enum'] as unknown[]), null];
      return merged;
    }
  }
  return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, nullableAsType(v)]));
}

/**
 * The fast path: ajv, compiled once per message from the zod schema's own JSON Schema (`io: 'input'`, so fields this
 * version does not know stay allowed; the patterns carry the calendar and UUID rules). It accepts or refuses and
 * says no more; a refused value is judged again by the zod schema, which names every failing path. Both come from
 * one schema, and a test holds them to the same verdicts. Measured on realistic 12 KiB case events, zod alone costs
 * about three times JSON.parse, ajv less (README, "Benchmarks", `npm run bench:messages`).
 */
const ajv = new Ajv({ strict: false, validateFormats: false, allErrors: false, inlineRefs: false });

/** Sub-schemas of at least this much JSON are compiled as functions of their own (`inParts`). */
const PART_MIN_CHARS = 1_000;

/**
 * The schema with each sub-schema (a property's, an array's items, a branch of `anyOf`) whose JSON is
 * `PART_MIN_CHARS` or more moved to `definitions` and referred to by `$ref`: with `inlineRefs: false`, ajv compiles
 * each as a function of its own. Compiled whole, the case event's check was one function too large for V8 to
 * optimise (`--max-optimized-bytecode-size`), so it ran in the baseline compiler's code for as long as the process
 * ran; in parts, every one is optimised. The verdicts are the same (the test below holds them to zod's). On a case
 * event with a 2.3 KB snapshot, 11.6–14.0 µs a check whole, 5.9–9.1 µs in parts (`node`, 30,000 checks).
 */
export function inParts(schema: unknown): Record<string, unknown> {
  const given = schema as Record<string, unknown>;
  // A schema with references of its own is left whole (its parts would have to keep their paths).
  if ('definitions' in given || '$defs' in given || JSON.stringify(given).includes('"$ref"')) return given;
  const definitions: Record<string, unknown> = {};
  const part = (node: unknown, top: boolean): unknown => {
    if (typeof node !== 'object' || node === null || Array.isArray(node)) return node;
    const out: Record<string, unknown> = { ...(node as Record<string, unknown>) };
    const properties = out['properties'];
    if (typeof properties === 'object' && properties !== null) {
      out['properties'] = Object.fromEntries(
        Object.entries(properties).map(([name, value]) => [name, part(value, false)]),
      );
    }
    if (typeof out['items'] === 'object' && !Array.isArray(out['items']))
      out['items'] = part(out['items'], false);
    for (const key of ['anyOf', 'oneOf', 'allOf']) {
      const branches = out[key];
      if (Array.isArray(branches)) out[key] = branches.map((branch) => part(branch, false));
    }
    if (typeof out['additionalProperties'] === 'object') {
      out['additionalProperties'] = part(out['additionalProperties'], false);
    }
    if (top || JSON.stringify(out).length < PART_MIN_CHARS) return out;
    const id = `part${Object.keys(definitions).length}`;
    definitions[id] = out;
    return { $ref: `#/definitions/${id}` };
  };
  const root = part(schema, true) as Record<string, unknown>;
  return Object.keys(definitions).length === 0 ? root : { ...root, definitions };
}
const fastChecks = new Map<InternalMessageKind, ValidateFunction>();
function fastCheck(kind: InternalMessageKind): ValidateFunction {
  let check = fastChecks.get(kind);
  if (!check) {
    const jsonSchema = messageJsonSchema(INTERNAL_MESSAGE_SCHEMAS[kind], 'input');
    check = ajv.compile(inParts(nullableAsType(jsonSchema)));
    fastChecks.set(kind, check);
  }
  return check;
}

/** The fast path's verdict alone (tests hold it to the zod schema's). */
export function passesFastCheck(kind: InternalMessageKind, value: unknown): boolean {
  return fastCheck(kind)(value);
}

/**
 * Reads one record value of an internal topic: JSON, then the message's schema (`@mash/schema` messages.ts). A
 * value that is not JSON is `EVENT_NOT_JSON`; JSON that is not the message is `EVENT_DATA_INVALID`, its reason naming
 * every failing path and rule (`not a case event: case.positions[0].asOf must be an RFC 3339 timestamp that exists
 * in the calendar`). Reasons go to logs and dead-letter headers, so they never quote the value.
 */
export function readInternalMessage<K extends InternalMessageKind>(
  kind: K,
  value: Uint8Array | string | null,
): ReadInternalMessage<InternalMessages[K]> {
  if (value === null) return { ok: false, code: 'EVENT_NOT_JSON', reason: 'the record has no value' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(typeof value === 'string' ? value : decoder.decode(value));
  } catch (err) {
    return { ok: false, code: 'EVENT_NOT_JSON', reason: `not JSON: ${describeJsonParseError(err)}` };
  }
  if (fastCheck(kind)(parsed)) return { ok: true, message: parsed as InternalMessages[K] };
  const checked = checkMessage(INTERNAL_MESSAGE_SCHEMAS[kind], parsed);
  if (!checked.ok) {
    const a = /^[aeiou]/.test(kind) ? 'an' : 'a';
    return {
      ok: false,
      code: 'EVENT_DATA_INVALID',
      reason: `not ${a} ${kind}: ${checked.problems.join('; ')}`,
    };
  }
  return { ok: true, message: checked.message as InternalMessages[K] };
}

/** `readInternalMessage`, throwing the NonRetriableError a consumer dead-letters when the record is not one. */
export function internalMessageOrThrow<K extends InternalMessageKind>(
  kind: K,
  value: Uint8Array | string | null,
): InternalMessages[K] {
  const read = readInternalMessage(kind, value);
  if (!read.ok) throw new NonRetriableError(read.code, read.reason);
  return read.message;
}
