import { z } from 'zod';
import {
  BRAG_RATINGS,
  CONTACT_OUTCOMES,
  IDENTIFIER_SYSTEMS,
  NOTIFICATION_REASONS,
  ESCALATION_EVENT_TYPES,
  PLAN_KINDS,
  PROTECTION_FLAG_TYPES,
  REFERRAL_OUTCOMES,
  SAFEGUARDING_ENQUIRY_TYPES,
  STATUS_CHANGE_KINDS,
  type CaseEventMessage,
  type CaseSnapshot,
  type EscalationEventMessage,
  type NotificationMessage,
  type StatusChangeMessage,
} from './events';
import { RISK_LEVELS, THRESHOLDS } from './thresholds';
import { AGENCY_FAMILIES } from './topics';

/**
 * The platform's internal messages (status changes, case events, escalation events, notifications) as zod schemas:
 * what each consumer validates a record with before applying it, and what the AsyncAPI document describes the
 * notifications topic with (`z.toJSONSchema`), so the validator and the document are one source. The TypeScript
 * interfaces in `events.ts` stay the documented types; a compile-time check below fails the build when a schema
 * and its interface disagree.
 *
 * Strict where it protects the consumer: UUIDs where the consumer keys or matches by them, enums it acts on, ISO
 * timestamps that are real calendar instants (`2026-02-30T10:00:00Z` is refused, which `Date.parse` accepts), text
 * Postgres can store (no NUL). Tolerant for forward compatibility: a field this version does not know is allowed
 * and left as it is (the contract's rule: a new optional property is a compatible addition), and an escalation
 * event of a type this version does not know is read as it is and tells nobody.
 */

// eslint-disable-next-line no-control-regex -- NUL is the character Postgres cannot store
const NO_NUL = /^[^\u0000]*$/;

/** Text that is not empty and that Postgres can store. */
const text = () => z.string().min(1).regex(NO_NUL, { error: 'must not contain NUL characters' });
/** Text that may be empty (summaries, descriptions). */
const plainText = () => z.string().regex(NO_NUL, { error: 'must not contain NUL characters' });
/** A UUID written as 8-4-4-4-12 hex digits (any version, as the platform's name-based ids are). */
const uuid = () => z.guid();
/** An RFC 3339 instant with seconds and a zone, that exists in the calendar. */
const instant = () => z.iso.datetime({ offset: true });
/** A calendar date, YYYY-MM-DD, that exists. */
const calendarDate = () => z.iso.date();
const kebab = () => z.string().regex(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/, { error: 'must be a kebab-case name' });

/** How many other identifiers one status change may carry. */
export const MAX_OTHER_IDENTIFIERS = 10;

export const subjectIdentifierSchema = z.object({
  system: z.enum(IDENTIFIER_SYSTEMS),
  value: text(),
});

const planFactsSchema = z.object({
  ref: text(),
  kind: z.enum(PLAN_KINDS),
  visitFrequencyDays: z.number().int().positive().optional(),
});

const planActionFactsSchema = z.object({
  planRef: text(),
  ref: text(),
  status: z.enum(['open', 'done']),
  dueDate: calendarDate().nullable(),
  description: plainText(),
  ownerAgencyType: text().optional(),
});

export const statusFactsSchema = z.object({
  threshold: z.enum(THRESHOLDS).optional(),
  riskLevel: z.enum(RISK_LEVELS).optional(),
  referralOutcome: z.enum(REFERRAL_OUTCOMES).optional(),
  closed: z.boolean().optional(),
  reference: text().optional(),
  contactOutcome: z.enum(CONTACT_OUTCOMES).optional(),
  s47Started: z.boolean().optional(),
  conference: z.object({ type: z.enum(['initial', 'review']), planDecided: z.boolean() }).optional(),
  plan: planFactsSchema.optional(),
  planAction: planActionFactsSchema.optional(),
  visit: z.object({ outcome: z.enum(['seen', 'no-access']) }).optional(),
  missingEpisode: z.object({ ref: text(), status: z.enum(['missing', 'returned']) }).optional(),
  attendance: z
    .object({
      percentage: z.number().min(0).max(100),
      periodStart: calendarDate(),
      periodEnd: calendarDate(),
    })
    .optional(),
  exclusion: z
    .object({
      type: z.enum(['suspension', 'permanent-exclusion']),
      days: z.number().nonnegative().optional(),
    })
    .optional(),
  appointment: z.object({ attendance: z.enum(['was-not-brought', 'did-not-attend']) }).optional(),
  dashScore: z.number().int().min(0).max(27).optional(),
  bragRating: z.enum(BRAG_RATINGS).optional(),
  protectionFlag: z.object({ type: z.enum(PROTECTION_FLAG_TYPES), active: z.boolean() }).optional(),
  safeguardingEnquiry: z
    .object({
      decision: z.enum(['enquiry', 'no-enquiry']),
      type: z.enum(SAFEGUARDING_ENQUIRY_TYPES).optional(),
    })
    .optional(),
});

/** Topic `mash.status-changes.v1` (StatusChangeMessage): what the cases service applies. */
export const statusChangeMessageSchema = z.object({
  id: uuid(),
  eventId: text(),
  source: text(),
  type: text(),
  family: z.enum(AGENCY_FAMILIES),
  partnershipId: uuid(),
  agencyId: uuid(),
  sourceSystemId: text(),
  subject: subjectIdentifierSchema,
  otherIdentifiers: z.array(subjectIdentifierSchema).max(MAX_OTHER_IDENTIFIERS).optional(),
  kind: z.enum(STATUS_CHANGE_KINDS),
  facts: statusFactsSchema,
  summary: plainText(),
  occurredAt: instant(),
  receivedAt: instant(),
});

const agencyPositionSnapshotSchema = z.object({
  agencyId: uuid(),
  threshold: z.enum(THRESHOLDS).nullable(),
  thresholdStatusChangeId: text().nullable(),
  riskLevel: z.enum(RISK_LEVELS).nullable(),
  riskStatusChangeId: text().nullable(),
  referralOutcome: z.enum(REFERRAL_OUTCOMES).nullable(),
  referralStatusChangeId: text().nullable(),
  thresholdAsOf: instant().nullable().optional(),
  riskAsOf: instant().nullable().optional(),
  referralAsOf: instant().nullable().optional(),
  thresholdSince: instant().nullable().optional(),
  riskSince: instant().nullable().optional(),
  referralSince: instant().nullable().optional(),
  asOf: instant(),
});

const childProtectionSnapshotSchema = z.object({
  agencyId: uuid(),
  enquiryStartedAt: instant().nullable(),
  enquiryStatusChangeId: text().nullable(),
  initialConferenceAt: instant().nullable(),
  initialConferenceStatusChangeId: text().nullable(),
  planDecided: z.boolean(),
  firstCoreGroupAt: instant().nullable(),
  lastCoreGroupAt: instant().nullable(),
  lastCoreGroupStatusChangeId: text().nullable(),
  lastReviewConferenceAt: instant().nullable(),
  lastReviewConferenceStatusChangeId: text().nullable(),
});

const planActionSnapshotSchema = z.object({
  ref: text(),
  description: plainText(),
  status: z.enum(['open', 'done']),
  dueDate: calendarDate().nullable(),
  statusChangeId: text(),
});

const planSnapshotSchema = z.object({
  ref: text(),
  agencyId: uuid(),
  kind: z.enum(PLAN_KINDS),
  startedAt: instant(),
  startedStatusChangeId: text(),
  endedAt: instant().nullable(),
  visitFrequencyDays: z.number().int().positive().nullable(),
  lastSeenVisitAt: instant().nullable(),
  lastSeenVisitStatusChangeId: text().nullable(),
  actions: z.array(planActionSnapshotSchema),
});

const caseSignalSnapshotSchema = z.object({
  statusChangeId: text(),
  agencyId: uuid(),
  family: z.enum(AGENCY_FAMILIES),
  kind: z.enum(STATUS_CHANGE_KINDS),
  occurredAt: instant(),
  facts: statusFactsSchema,
});

export const caseSnapshotSchema = z.object({
  /** The engine keys its own rows by these as text; tests and older producers use other ids than UUIDs. */
  id: text(),
  partnershipId: uuid(),
  subjectId: text(),
  status: z.enum(['open', 'closed']),
  involvements: z.array(z.object({ agencyId: uuid(), open: z.boolean() })),
  positions: z.array(agencyPositionSnapshotSchema),
  childProtection: childProtectionSnapshotSchema.nullable().optional(),
  plans: z.array(planSnapshotSchema).optional(),
  signals: z.array(caseSignalSnapshotSchema).optional(),
});

/**
 * Topic `mash.case-events.v1` (CaseEventMessage): what the escalation engine applies. The status change's own id is
 * only carried as evidence (text), so any non-empty id is accepted there.
 */
export const caseEventMessageSchema = z.object({
  statusChange: statusChangeMessageSchema.extend({ id: text() }),
  case: caseSnapshotSchema,
  sequence: z.number().int().positive().optional(),
});

/**
 * Topic `mash.escalation-events.v1` (EscalationEventMessage): what contacts and the gateway's live consumer read.
 * `type` is any kebab-case name: a type this version does not know tells nobody.
 */
export const escalationEventMessageSchema = z.object({
  id: text(),
  type: kebab(),
  escalationId: uuid(),
  caseId: text(),
  partnershipId: uuid(),
  stage: z.number().int().min(1),
  status: text(),
  at: instant(),
  rationale: plainText(),
  ground: text().optional(),
  raisingAgencyId: uuid().optional(),
  receivingAgencyId: uuid().optional(),
  immediateRisk: z.boolean().optional(),
  autoRaised: z.boolean().optional(),
  raisedBy: text().nullable().optional(),
  actor: text().optional(),
  stageOwnerRoles: z.array(text()).optional(),
  cause: z.enum(['person', 'deadline']).optional(),
});

/**
 * Topic `mash.notifications.v1` (NotificationMessage): what the gateway's live consumer hands to the recipient, and
 * what the AsyncAPI document publishes for email and SMS delivery (generated from this schema).
 */
export const notificationMessageSchema = z.object({
  id: uuid().describe(
    'Derived from (escalation event, recipient): the same for a redelivery, so drop repeats by id.',
  ),
  recipientId: uuid().describe('The contact told (the directory id their token carries as its subject).'),
  partnershipId: uuid().describe('The partnership of the escalation.'),
  escalationId: uuid().describe(
    'The escalation that changed; read it through the graph, under its access rules.',
  ),
  eventId: text().describe('The escalation event that caused the notification.'),
  eventType: z.enum(ESCALATION_EVENT_TYPES),
  reason: z
    .enum(NOTIFICATION_REASONS)
    .describe('Why the person is told; the strongest reason when there are several.'),
  stage: z.number().int().min(1).describe('The escalation’s stage after the change.'),
  message: text().describe('Plain words: what changed and what is asked of the person. Never personal data.'),
  immediateRisk: z.boolean(),
  at: instant().describe('When the change happened.'),
});

// --- Compile-time: each schema accepts exactly its interface (readonly aside). A failure here means the schema
// and the documented type drifted apart; fix whichever is wrong.
type Mutable<T> = T extends readonly (infer U)[]
  ? Mutable<U>[]
  : T extends object
    ? { -readonly [K in keyof T]: Mutable<T[K]> }
    : T;
type Same<A, B> =
  (<T>() => T extends Mutable<A> ? 1 : 2) extends <T>() => T extends Mutable<B> ? 1 : 2 ? true : false;
type Assert<T extends true> = T;
type Reads<S extends z.ZodType> = z.output<S>;
type EscalationEventWithAnyType = Omit<EscalationEventMessage, 'type'> & { readonly type: string };

export type MessageSchemasMatchTheirTypes = [
  Assert<Same<Reads<typeof statusChangeMessageSchema>, StatusChangeMessage>>,
  Assert<Same<Reads<typeof caseSnapshotSchema>, CaseSnapshot>>,
  Assert<Same<Reads<typeof caseEventMessageSchema>, CaseEventMessage>>,
  Assert<Same<Reads<typeof escalationEventMessageSchema>, EscalationEventWithAnyType>>,
  Assert<Same<Reads<typeof notificationMessageSchema>, NotificationMessage>>,
];

// --- Reading a record -----------------------------------------------------------------------------------------

/** The internal messages, by the name a reason calls them. */
export const INTERNAL_MESSAGE_SCHEMAS = {
  'status change': statusChangeMessageSchema,
  'case event': caseEventMessageSchema,
  'escalation event': escalationEventMessageSchema,
  notification: notificationMessageSchema,
} as const;

/** How many problems a reason names before it says how many more there are. */
const MAX_PROBLEMS = 5;

const article = (noun: string) => (/^[aeiou]/.test(noun) ? `an ${noun}` : `a ${noun}`);

/**
 * The rule an issue broke, in words that name the rule and never the value (reasons go to logs and dead-letter
 * headers, and values may be personal data).
 */
function ruleOf(issue: z.core.$ZodRawIssue): string {
  if (issue.input === undefined && (issue.code === 'invalid_type' || issue.code === 'invalid_value')) {
    return 'is required';
  }
  switch (issue.code) {
    case 'invalid_type':
      return `must be ${article(issue.expected === 'int' ? 'integer' : issue.expected)}`;
    case 'invalid_value':
      return issue.values.length === 1
        ? `must be ${JSON.stringify(issue.values[0])}`
        : `must be one of ${issue.values.join(', ')}`;
    case 'invalid_format':
      if (issue.format === 'datetime') return 'must be an RFC 3339 timestamp that exists in the calendar';
      if (issue.format === 'date') return 'must be a calendar date (YYYY-MM-DD) that exists';
      if (issue.format === 'guid') return 'must be a UUID';
      return `must match the ${issue.format} format`;
    case 'too_small':
      if (issue.origin === 'string') return 'must be a non-empty string';
      if (issue.origin === 'array') return `must hold at least ${issue.minimum} items`;
      return issue.inclusive === false
        ? `must be greater than ${issue.minimum}`
        : `must be at least ${issue.minimum}`;
    case 'too_big':
      if (issue.origin === 'string') return `must be at most ${issue.maximum} characters`;
      if (issue.origin === 'array') return `must hold at most ${issue.maximum} items`;
      return issue.inclusive === false
        ? `must be less than ${issue.maximum}`
        : `must be at most ${issue.maximum}`;
    default:
      return 'is not valid';
  }
}

/** `facts.plan.ref`, `otherIdentifiers[1].system`; the message itself is `the value`. */
export function pathOf(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    out += typeof part === 'number' ? `[${part}]` : out ? `.${String(part)}` : String(part);
  }
  return out || 'the value';
}

export type MessageCheck<T> =
  { readonly ok: true; readonly message: T } | { readonly ok: false; readonly problems: readonly string[] };

/**
 * Checks a parsed JSON value against a message schema. A valid value is returned as it came (fields this version
 * does not know are kept, not stripped); an invalid one gives every problem as `path rule`, the values left out.
 */
export function checkMessage<S extends z.ZodType>(schema: S, value: unknown): MessageCheck<z.output<S>> {
  const result = schema.safeParse(value, { error: ruleOf });
  if (result.success) return { ok: true, message: value as z.output<S> };
  const problems = result.error.issues.map((issue) => `${pathOf(issue.path)} ${issue.message}`);
  return {
    ok: false,
    problems:
      problems.length > MAX_PROBLEMS
        ? [...problems.slice(0, MAX_PROBLEMS), `and ${problems.length - MAX_PROBLEMS} more`]
        : problems,
  };
}

/**
 * A message schema as JSON Schema (draft 7, which AsyncAPI's schema format builds on), without its `$schema`.
 * `output` describes what the platform writes (no other fields: `additionalProperties: false`), for documents;
 * `input` what a consumer accepts (other fields allowed), for validators compiled from it.
 */
export function messageJsonSchema(schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { target: 'draft-7', io }) as Record<
    string,
    unknown
  >;
  return rest;
}
