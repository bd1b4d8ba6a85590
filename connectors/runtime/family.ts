import {
  utcInstantText,
  type AgencyFamily,
  type CloudEvent,
  type IdentifierSystem,
  type StatusChangeKind,
  type StatusFacts,
  type SubjectIdentifier,
} from '@mash/schema';

/** What a family's mapper makes of one validated event: the canonical status change, before routing. */
export interface MappedStatusChange {
  readonly subject: SubjectIdentifier;
  /** Other identifiers the agency's record holds for the subject (`data.otherIdentifiers`); absent when none. */
  readonly otherIdentifiers?: readonly SubjectIdentifier[];
  readonly kind: StatusChangeKind;
  readonly facts: StatusFacts;
  /** Plain English for timelines and evidence lists; never holds an identifier or a name. */
  readonly summary: string;
  /** ISO 8601 instant (UTC) of the occurrence. */
  readonly occurredAt: string;
}

/** Maps one event, already valid against its type's JSON Schema, to a status change. Pure; throws only on a bug. */
export type StatusChangeMapper = (event: CloudEvent) => MappedStatusChange;

/**
 * One thing wrong with an event: where and which rule. `field` and `rule` name parts of the contract only (a JSON
 * Pointer or FHIR path of a field the schema defines, a schema keyword), never a value, so connector health can
 * show them to agency integrators; `message` says it in words for the dead-letter reason.
 */
export interface DataIssue {
  /** A JSON Pointer into the event (`/data/subject/value`), or a FHIR path for FHIR types (`Appointment.start`). */
  readonly field: string;
  /** A JSON Schema keyword (`required`, `format`…), or `fhir-<OperationOutcome issue code>` (`fhir-structure`). */
  readonly rule: string;
  readonly message: string;
}

/**
 * A check of a type's data that its JSON Schema cannot make, run before the schema: conformance to the FHIR R4
 * definitions for the health family's FHIR types.
 */
export interface DataCheck {
  /** The issues found in `data`; empty when it passes. Pure; may load definitions on first use. */
  readonly issues: (data: unknown) => readonly DataIssue[];
  /** How the schema's errors name a field: a JSON Pointer under `/data` turned into the check's own paths. */
  readonly fieldOf?: (pointer: string) => string;
}

/** One agency family's published event types and how each becomes a canonical status change. */
export interface FamilyDefinition {
  readonly family: AgencyFamily;
  /** The identifier systems this family's systems know subjects by. */
  readonly identifierSystems: readonly IdentifierSystem[];
  /** CloudEvent type (`uk.mash.<family>.<what>.v<N>`) to its mapper; one entry per published schema. */
  readonly mappers: Readonly<Record<string, StatusChangeMapper>>;
  /** Types whose data is checked beyond their JSON Schema (FHIR resources), with the check. */
  readonly dataChecks?: Readonly<Record<string, DataCheck>>;
}

/** The mapper for a type, or undefined (own properties only, so `constructor` and friends never match). */
export function mapperFor(definition: FamilyDefinition, type: string): StatusChangeMapper | undefined {
  return Object.hasOwn(definition.mappers, type) ? definition.mappers[type] : undefined;
}

/** What every event type's data carries about its subject: the family's identifier, and optionally others. */
export interface IdentifiedData {
  readonly subject: SubjectIdentifier;
  /** The other identifiers the agency's record holds for the same person, each checked by the type's schema. */
  readonly otherIdentifiers?: readonly SubjectIdentifier[];
}

/**
 * The subject and other identifiers of an event's data, for a mapped status change: the other identifiers in the
 * order given, without repeats and without the subject's own identifier; left out when none remain.
 */
export function identifiersOf(
  data: IdentifiedData,
): Pick<MappedStatusChange, 'subject' | 'otherIdentifiers'> {
  const subject = { system: data.subject.system, value: data.subject.value };
  if (!data.otherIdentifiers?.length) return { subject };
  const seen = new Set([`${subject.system}|${subject.value}`]);
  const others: SubjectIdentifier[] = [];
  for (const { system, value } of data.otherIdentifiers ?? []) {
    const key = `${system}|${value}`;
    if (seen.has(key)) continue;
    seen.add(key);
    others.push({ system, value });
  }
  return others.length > 0 ? { subject, otherIdentifiers: others } : { subject };
}

/** The event's data, typed. The caller vouches that the event was validated against the type's schema. */
export function eventData<T>(event: CloudEvent): T {
  return event.data as T;
}

/** An RFC 3339 date-time as a UTC ISO instant; returned unchanged when JavaScript cannot read it (leap seconds). */
export function isoInstant(value: string): string {
  const utc = utcInstantText(value);
  if (utc !== undefined) return utc;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : date.toISOString();
}

/** The time an event happened: the data's own timestamp when the type has one, else the envelope's `time`. */
export function occurredAt(event: CloudEvent, dataTime?: string): string {
  return isoInstant(dataTime ?? event.time ?? new Date().toISOString());
}
