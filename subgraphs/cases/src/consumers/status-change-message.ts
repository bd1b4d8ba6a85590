import { describeJsonParseError } from '@mash/kafka';
import { isUuid } from '@mash/service-kit';
import {
  AGENCY_FAMILIES,
  IDENTIFIER_SYSTEMS,
  PLAN_KINDS,
  REFERRAL_OUTCOMES,
  RISK_LEVELS,
  THRESHOLDS,
  type ErrorCode,
  type StatusChangeMessage,
} from '@mash/schema';

export type ParsedStatusChange =
  | { readonly ok: true; readonly message: StatusChangeMessage }
  | {
      readonly ok: false;
      readonly code: Extract<ErrorCode, 'EVENT_NOT_JSON' | 'EVENT_DATA_INVALID'>;
      readonly reason: string;
    };

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
const KIND = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

type Check = (value: unknown) => string | undefined;

const text: Check = (v) =>
  typeof v !== 'string' || v.length === 0
    ? 'must be a non-empty string'
    : v.includes('\u0000')
      ? 'must not contain NUL characters'
      : undefined;
const uuid: Check = (v) => (typeof v === 'string' && isUuid(v) ? undefined : 'must be a UUID');
const timestamp: Check = (v) =>
  typeof v === 'string' && TIMESTAMP.test(v) && !Number.isNaN(Date.parse(v))
    ? undefined
    : 'must be an RFC 3339 timestamp';
const oneOf =
  (values: readonly string[]): Check =>
  (v) =>
    typeof v === 'string' && values.includes(v) ? undefined : `must be one of ${values.join(', ')}`;
const optional =
  (check: Check): Check =>
  (v) =>
    v === undefined ? undefined : check(v);
const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const MESSAGE_FIELDS: Readonly<Record<string, Check>> = {
  id: uuid,
  eventId: text,
  source: text,
  type: text,
  family: oneOf(AGENCY_FAMILIES),
  partnershipId: uuid,
  agencyId: uuid,
  sourceSystemId: text,
  kind: (v) => (typeof v === 'string' && KIND.test(v) ? undefined : 'must be a kebab-case kind'),
  summary: (v) => (typeof v === 'string' && !v.includes('\u0000') ? undefined : 'must be a string'),
  occurredAt: timestamp,
  receivedAt: timestamp,
};

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const boolean: Check = (v) => (typeof v === 'boolean' ? undefined : 'must be a boolean');
const calendarDate: Check = (v) =>
  typeof v === 'string' && DATE.test(v) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v)
    ? undefined
    : 'must be a calendar date (YYYY-MM-DD)';
const positiveInteger: Check = (v) =>
  typeof v === 'number' && Number.isInteger(v) && v > 0 ? undefined : 'must be a positive integer';
const plainString: Check = (v) =>
  typeof v === 'string' && !v.includes('\u0000') ? undefined : 'must be a string';
/** An object whose fields pass their checks (the first problem found is reported). */
const shape =
  (fields: Readonly<Record<string, Check>>): Check =>
  (v) => {
    if (!isObject(v)) return 'must be an object';
    for (const [field, check] of Object.entries(fields)) {
      const problem = check(v[field]);
      if (problem) return `.${field} ${problem}`;
    }
    return undefined;
  };

/**
 * The facts this service stores in records of their own (positions, the child protection process, plans) are
 * checked; the others travel on the timeline as the connector sent them.
 */
const FACT_FIELDS: Readonly<Record<string, Check>> = {
  threshold: optional(oneOf(THRESHOLDS)),
  riskLevel: optional(oneOf(RISK_LEVELS)),
  referralOutcome: optional(oneOf(REFERRAL_OUTCOMES)),
  closed: optional(boolean),
  reference: optional(text),
  s47Started: optional(boolean),
  conference: optional(shape({ type: oneOf(['initial', 'review']), planDecided: boolean })),
  plan: optional(
    shape({ ref: text, kind: oneOf(PLAN_KINDS), visitFrequencyDays: optional(positiveInteger) }),
  ),
  planAction: optional(
    shape({
      planRef: text,
      ref: text,
      status: oneOf(['open', 'done']),
      dueDate: (v) => (v === null ? undefined : calendarDate(v)),
      description: plainString,
      ownerAgencyType: optional(text),
    }),
  ),
  visit: optional(shape({ outcome: oneOf(['seen', 'no-access']) })),
};

/** How many other identifiers one change may carry. */
export const MAX_OTHER_IDENTIFIERS = 10;

const identifier = shape({ system: oneOf(IDENTIFIER_SYSTEMS), value: text });
const otherIdentifiers: Check = (v) => {
  if (v === undefined) return undefined;
  if (!Array.isArray(v)) return 'must be an array';
  if (v.length > MAX_OTHER_IDENTIFIERS) return `must hold at most ${MAX_OTHER_IDENTIFIERS} identifiers`;
  for (const [i, item] of v.entries()) {
    const problem = identifier(item);
    if (problem) return `[${i}]${problem.startsWith('.') ? '' : ' '}${problem}`;
  }
  return undefined;
};

function problems(value: unknown): string[] {
  if (!isObject(value)) return ['the value must be a JSON object'];
  const found: string[] = [];
  const check = (path: string, checkFn: Check, v: unknown) => {
    const problem = checkFn(v);
    if (problem) found.push(/^[.[]/.test(problem) ? `${path}${problem}` : `${path} ${problem}`);
  };
  for (const [field, checkFn] of Object.entries(MESSAGE_FIELDS)) check(field, checkFn, value[field]);
  const subject = value['subject'];
  if (!isObject(subject)) {
    found.push('subject must be an object');
  } else {
    check('subject.system', oneOf(IDENTIFIER_SYSTEMS), subject['system']);
    check('subject.value', text, subject['value']);
  }
  check('otherIdentifiers', otherIdentifiers, value['otherIdentifiers']);
  const facts = value['facts'];
  if (!isObject(facts)) {
    found.push('facts must be an object');
  } else {
    for (const [field, checkFn] of Object.entries(FACT_FIELDS))
      check(`facts.${field}`, checkFn, facts[field]);
    if (JSON.stringify(facts).includes('\\u0000')) found.push('facts must not contain NUL characters');
  }
  return found;
}

/**
 * Reads one status-changes record value. A value that is not JSON, or not a StatusChangeMessage this service can
 * store, can never succeed, so it is reported with a registry code for the dead-letter topic rather than retried.
 * The reason is logged and written into a dead-letter header, so it names fields and rules, never the values.
 */
export function parseStatusChangeMessage(value: Uint8Array | string | null): ParsedStatusChange {
  if (value === null) return { ok: false, code: 'EVENT_NOT_JSON', reason: 'the record has no value' };
  const raw = typeof value === 'string' ? value : new TextDecoder().decode(value);
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (err) {
    return { ok: false, code: 'EVENT_NOT_JSON', reason: `not JSON: ${describeJsonParseError(err)}` };
  }
  const found = problems(parsed);
  if (found.length > 0) {
    return { ok: false, code: 'EVENT_DATA_INVALID', reason: `not a status change: ${found.join('; ')}` };
  }
  return { ok: true, message: parsed as StatusChangeMessage };
}
