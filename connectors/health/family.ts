import type { CloudEvent } from '@mash/schema';
import {
  eventData,
  identifiersOf,
  occurredAt,
  type DataCheck,
  type FamilyDefinition,
  type MappedStatusChange,
} from '../runtime/family';
import {
  CP_IS_FLAG_CODES,
  CP_IS_FLAG_SYSTEM,
  HEALTH_EVENT_TYPES,
  NHS_NUMBER_SYSTEM,
  WAS_NOT_BROUGHT_EXTENSION,
  type AppointmentNotAttendedData,
  type FhirAppointment,
  type FhirEncounter,
  type FhirFlag,
  type FhirReference,
  type HealthService,
} from './events';
import { fhirIssues, fhirPathOfPointer } from './fhir';

const SERVICE_WORDS: Record<HealthService, string> = {
  gp: 'a GP',
  'health-visiting': 'a health visiting',
  'school-nursing': 'a school nursing',
  midwifery: 'a midwifery',
  paediatrics: 'a paediatrics',
  camhs: 'a CAMHS',
  dental: 'a dental',
  'sexual-health': 'a sexual health',
  'substance-misuse': 'a substance misuse',
  outpatients: 'an outpatient',
  other: 'a health',
};

const FLAG_WORDS = {
  'child-protection-plan': 'Child protection plan',
  'unborn-child-protection-plan': 'Unborn child protection plan',
  'looked-after': 'Looked-after child',
} as const;

/** The FHIR R4 check of a type whose data is a resource of `resourceType`; schema errors named as FHIR paths. */
function fhirCheck(resourceType: string): DataCheck {
  return {
    issues: (data) => fhirIssues(data, resourceType),
    fieldOf: (pointer) => fhirPathOfPointer(resourceType, pointer),
  };
}

/** The patient of a reference that the type's schema requires to carry an NHS number. */
function nhsPatient(reference: FhirReference | undefined): MappedStatusChange['subject'] {
  const identifier = reference?.identifier;
  if (identifier?.system !== NHS_NUMBER_SYSTEM || identifier.value === undefined)
    throw new Error('the reference carries no NHS number');
  return identifiersOf({ subject: { system: 'nhs-number', value: identifier.value } }).subject;
}

function missedAppointment(
  event: CloudEvent,
  wasNotBrought: boolean,
  service: string,
  at: string,
  ref: string,
) {
  const appointment = `${service} appointment`;
  return {
    kind: 'appointment-not-attended' as const,
    facts: {
      appointment: { attendance: wasNotBrought ? ('was-not-brought' as const) : ('did-not-attend' as const) },
      reference: ref,
    },
    summary: wasNotBrought ? `Child was not brought to ${appointment}` : `Did not attend ${appointment}`,
    occurredAt: occurredAt(event, at),
  };
}

export const healthFamily: FamilyDefinition = {
  family: 'health',
  identifierSystems: ['nhs-number'],
  mappers: {
    [HEALTH_EVENT_TYPES.appointmentNotAttended]: (event) => {
      const data = eventData<AppointmentNotAttendedData>(event);
      return {
        ...identifiersOf(data),
        ...missedAppointment(
          event,
          data.wasNotBrought,
          SERVICE_WORDS[data.service],
          data.appointmentAt,
          data.appointmentRef,
        ),
      };
    },
    [HEALTH_EVENT_TYPES.appointmentNoShow]: (event) => {
      const data = eventData<FhirAppointment>(event);
      const patient = data.participant.find((p) => p.actor?.type === 'Patient');
      const wasNotBrought =
        data.extension.find((e) => e.url === WAS_NOT_BROUGHT_EXTENSION)?.valueBoolean === true;
      return {
        subject: nhsPatient(patient?.actor),
        ...missedAppointment(event, wasNotBrought, 'a health', data.start, data.id),
      };
    },
    [HEALTH_EVENT_TYPES.emergencyEncounter]: (event) => {
      const data = eventData<FhirEncounter>(event);
      return {
        subject: nhsPatient(data.subject),
        kind: 'unscheduled-care',
        facts: { reference: data.id },
        summary: 'Unscheduled care: an emergency attendance',
        occurredAt: occurredAt(event, data.period.start),
      };
    },
    [HEALTH_EVENT_TYPES.protectionFlag]: (event) => {
      const data = eventData<FhirFlag>(event);
      const code = data.code.coding.find((c) => c.system === CP_IS_FLAG_SYSTEM)?.code;
      const type = code === undefined ? undefined : CP_IS_FLAG_CODES[code];
      if (type === undefined) throw new Error('the flag carries no CP-IS information type');
      const active = data.status === 'active';
      return {
        subject: nhsPatient(data.subject),
        kind: 'protection-flag',
        facts: { protectionFlag: { type, active }, reference: data.id },
        summary: `${FLAG_WORDS[type]} flag ${active ? 'set' : 'ended'} (CP-IS)`,
        occurredAt: occurredAt(event, active ? data.period.start : (data.period.end ?? data.period.start)),
      };
    },
  },
  dataChecks: {
    [HEALTH_EVENT_TYPES.appointmentNoShow]: fhirCheck('Appointment'),
    [HEALTH_EVENT_TYPES.emergencyEncounter]: fhirCheck('Encounter'),
    [HEALTH_EVENT_TYPES.protectionFlag]: fhirCheck('Flag'),
  },
};
