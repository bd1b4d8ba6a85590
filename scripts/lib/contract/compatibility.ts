import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { eventSchemaDirectory } from '@mash/schema';

/** The committed copy of every published schema (`schema/events-published/<file>`), the baseline for changes. */
export const PUBLISHED_DIRECTORY = path.join(eventSchemaDirectory, '..', 'events-published');
const SCHEMA_SUFFIX = '.schema.json';

type Schema = Readonly<Record<string, unknown>>;

/** Keywords that describe but never constrain: changing them changes no event's validity. */
const ANNOTATIONS = new Set([
  'title',
  'description',
  'examples',
  '$comment',
  'default',
  'deprecated',
  '$schema',
  'readOnly',
  'writeOnly',
]);
/** Lower bounds: raising or adding one can reject what was accepted. */
const LOWER_BOUNDS = ['minLength', 'minimum', 'exclusiveMinimum', 'minItems', 'minProperties'] as const;
/** Upper bounds: lowering or adding one can reject what was accepted. */
const UPPER_BOUNDS = ['maxLength', 'maximum', 'exclusiveMaximum', 'maxItems', 'maxProperties'] as const;
const HANDLED = new Set<string>([
  ...ANNOTATIONS,
  ...LOWER_BOUNDS,
  ...UPPER_BOUNDS,
  'type',
  'required',
  'properties',
  'additionalProperties',
  'enum',
  'items',
]);

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);
const asSchema = (v: unknown): Schema | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Schema) : undefined;
const typesOf = (v: unknown): string[] | undefined =>
  v === undefined ? undefined : Array.isArray(v) ? (v as string[]) : [v as string];

/**
 * Why an event valid against `published` could be rejected by `current`, one line per change (JSON Pointer into
 * the schema, then the change); empty when `current` accepts everything `published` did (descriptions, examples,
 * new optional properties). Conservative: a change it cannot judge (a new pattern, a changed `$ref`) counts as
 * breaking.
 */
export function breakingChanges(published: Schema, current: Schema, at = ''): string[] {
  const where = at || '/';
  const out: string[] = [];

  const oldTypes = typesOf(published['type']);
  const newTypes = typesOf(current['type']);
  if (
    newTypes &&
    (!oldTypes ||
      oldTypes.some((t) => !newTypes.includes(t) && !(t === 'integer' && newTypes.includes('number'))))
  ) {
    out.push(
      `${where}: type narrowed from ${JSON.stringify(oldTypes ?? 'any')} to ${JSON.stringify(newTypes)}`,
    );
  }

  const oldRequired = new Set((published['required'] ?? []) as string[]);
  for (const name of (current['required'] ?? []) as string[]) {
    if (!oldRequired.has(name)) out.push(`${where}: "${name}" is newly required`);
  }

  const oldProps = (asSchema(published['properties']) ?? {}) as Record<string, Schema>;
  const newProps = (asSchema(current['properties']) ?? {}) as Record<string, Schema>;
  for (const [name, oldProp] of Object.entries(oldProps)) {
    const newProp = newProps[name];
    if (newProp === undefined) out.push(`${where}: property "${name}" was removed`);
    else out.push(...breakingChanges(oldProp, newProp, `${at}/properties/${name}`));
  }

  if (
    current['additionalProperties'] !== undefined &&
    !same(published['additionalProperties'], current['additionalProperties'])
  ) {
    const now = current['additionalProperties'];
    const before = published['additionalProperties'];
    if (now === false) out.push(`${where}: additional properties are no longer allowed`);
    else if (asSchema(now) && asSchema(before))
      out.push(...breakingChanges(asSchema(before)!, asSchema(now)!, `${at}/additionalProperties`));
    else if (now !== true) out.push(`${where}: additionalProperties changed`);
  }

  if (current['enum'] !== undefined) {
    const allowed = current['enum'] as unknown[];
    const before = published['enum'] as unknown[] | undefined;
    if (before === undefined) out.push(`${where}: an enum was added`);
    else {
      const dropped = before.filter((v) => !allowed.some((a) => same(a, v)));
      if (dropped.length > 0)
        out.push(`${where}: enum no longer allows ${dropped.map((v) => JSON.stringify(v)).join(', ')}`);
    }
  }

  for (const k of LOWER_BOUNDS) {
    const now = current[k] as number | undefined;
    const before = published[k] as number | undefined;
    if (now !== undefined && (before === undefined || now > before))
      out.push(`${where}: ${k} raised to ${now}`);
  }
  for (const k of UPPER_BOUNDS) {
    const now = current[k] as number | undefined;
    const before = published[k] as number | undefined;
    if (now !== undefined && (before === undefined || now < before))
      out.push(`${where}: ${k} lowered to ${now}`);
  }

  if (asSchema(published['items']) && asSchema(current['items'])) {
    out.push(...breakingChanges(asSchema(published['items'])!, asSchema(current['items'])!, `${at}/items`));
  } else if (current['items'] !== undefined && !same(published['items'], current['items'])) {
    out.push(`${where}: items changed`);
  }

  // Everything else that constrains (const, pattern, format, propertyNames, $ref, oneOf, ...): any change may break.
  const keys = new Set([...Object.keys(published), ...Object.keys(current)]);
  for (const k of keys) {
    if (HANDLED.has(k)) continue;
    if (k === '$id') {
      if (!same(published[k], current[k])) out.push(`${where}: $id changed`);
      continue;
    }
    if (!(k in current)) continue; // a constraint removed accepts more
    if (!same(published[k], current[k])) out.push(`${where}: ${k} ${k in published ? 'changed' : 'added'}`);
  }
  return out;
}

export interface ContractDrift {
  /** Per schema file, the breaking changes against its published copy. */
  readonly breaking: Readonly<Record<string, readonly string[]>>;
  /** Schema files with no published copy yet (new types). */
  readonly unpublished: readonly string[];
  /** Published copies whose schema file is gone (a removed type). */
  readonly removed: readonly string[];
  /** Schema files that differ compatibly from their published copy. */
  readonly changed: readonly string[];
}

const schemaFiles = (dir: string): string[] =>
  existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.endsWith(SCHEMA_SUFFIX))
        .sort()
    : [];

/** How the schemas in `directory` differ from their published copies. */
export function contractDrift(
  directory: string = eventSchemaDirectory,
  published: string = PUBLISHED_DIRECTORY,
): ContractDrift {
  const current = schemaFiles(directory);
  const copies = schemaFiles(published);
  const breaking: Record<string, string[]> = {};
  const changed: string[] = [];
  for (const file of current.filter((f) => copies.includes(f))) {
    const before = readFileSync(path.join(published, file), 'utf8');
    const now = readFileSync(path.join(directory, file), 'utf8');
    if (before === now) continue;
    const problems = breakingChanges(JSON.parse(before) as Schema, JSON.parse(now) as Schema);
    if (problems.length > 0) breaking[file] = problems;
    else changed.push(file);
  }
  return {
    breaking,
    unpublished: current.filter((f) => !copies.includes(f)),
    removed: copies.filter((f) => !current.includes(f)),
    changed,
  };
}
