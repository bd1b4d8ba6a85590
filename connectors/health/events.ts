import type { ProtectionFlagType, SubjectIdentifier } from '@mash/schema';

/** The health family's published CloudEvent types. */
export const HEALTH_EVENT_TYPES = {
  /**
   * Deprecated: the flat form of a missed appointment, before the family took FHIR R4. Still accepted and mapped
   * as before; new connections publish `appointmentNoShow` (docs/CONNECTING.md, "Migrating to FHIR").
   */
  appointmentNotAttended: 'uk.mash.health.appointment-not-attended.v1',
  /** data: a FHIR R4 Appointment with status `noshow`. */
  appointmentNoShow: 'uk.mash.health.appointment-noshow.v1',
  /** data: a FHIR R4 Encounter of class emergency (`EMER`): unscheduled care. */
  emergencyEncounter: 'uk.mash.health.emergency-encounter.v1',
  /** data: a FHIR R4 Flag as CP-IS shares it: a child protection plan or looked-after status. */
  protectionFlag: 'uk.mash.health.protection-flag.v1',
} as const;

/** The FHIR identifier system of the NHS number (NHS England's naming system). */
export const NHS_NUMBER_SYSTEM = 'https://fhir.nhs.uk/Id/nhs-number';

/**
 * The extension that says whether a patient who did not come to an appointment is a child (or an adult depending on
 * a carer) who was not brought. FHIR R4 has no element for it: Appointment.status `noshow` says someone did not
 * appear, participant status is their acceptance of the booking, and cancelationReason is for cancellations. So,
 * as FHIR asks when the base resource lacks an element, it is a simple extension, required by this contract
 * (`valueBoolean` true: was not brought; false: did not attend), never inferred from age or participants.
 */
export const WAS_NOT_BROUGHT_EXTENSION = 'urn:mash:fhir:StructureDefinition:was-not-brought';

/**
 * The CP-IS information types a Flag's code carries, in this contract's code system: a child protection plan, an
 * unborn child's protection plan (the Flag's subject is the mother), a looked-after child.
 */
export const CP_IS_FLAG_SYSTEM = 'urn:mash:fhir:CodeSystem:cp-is-information-type';
export const CP_IS_FLAG_CODES: Readonly<Record<string, ProtectionFlagType>> = {
  CPP: 'child-protection-plan',
  UCPP: 'unborn-child-protection-plan',
  LAC: 'looked-after',
};

/** v3 ActCode: the FHIR R4 Encounter.class of an emergency encounter. */
export const ACT_CODE_SYSTEM = 'http://terminology.hl7.org/CodeSystem/v3-ActCode';
export const EMERGENCY_CLASS = 'EMER';

export interface NhsNumberSubject {
  readonly system: 'nhs-number';
  /** 10 digits with a valid modulus 11 check digit. */
  readonly value: string;
}

export const HEALTH_SERVICES = [
  'gp',
  'health-visiting',
  'school-nursing',
  'midwifery',
  'paediatrics',
  'camhs',
  'dental',
  'sexual-health',
  'substance-misuse',
  'outpatients',
  'other',
] as const;
export type HealthService = (typeof HEALTH_SERVICES)[number];

/** `uk.mash.health.appointment-not-attended.v1` data (deprecated): an appointment whose status became `noshow`. */
export interface AppointmentNotAttendedData {
  readonly subject: NhsNumberSubject;
  /** Other identifiers the health record holds for the patient. */
  readonly otherIdentifiers?: readonly SubjectIdentifier[];
  readonly appointmentRef: string;
  /** FHIR Appointment.start. */
  readonly appointmentAt: string;
  /** True: a child was not brought. False: the patient did not attend. */
  readonly wasNotBrought: boolean;
  readonly service: HealthService;
}

/** The parts of FHIR R4 the mappers read; the resources are checked against the whole of R4 before mapping. */
export interface FhirIdentifier {
  readonly system?: string;
  readonly value?: string;
}
export interface FhirReference {
  readonly type?: string;
  readonly identifier?: FhirIdentifier;
}
export interface FhirCoding {
  readonly system?: string;
  readonly code?: string;
}
export interface FhirExtension {
  readonly url: string;
  readonly valueBoolean?: boolean;
}
export interface FhirPeriod {
  readonly start?: string;
  readonly end?: string;
}

/** `uk.mash.health.appointment-noshow.v1` data. */
export interface FhirAppointment {
  readonly resourceType: 'Appointment';
  readonly id: string;
  readonly status: 'noshow';
  readonly start: string;
  readonly participant: readonly { readonly actor?: FhirReference }[];
  readonly extension: readonly FhirExtension[];
}

/** `uk.mash.health.emergency-encounter.v1` data. */
export interface FhirEncounter {
  readonly resourceType: 'Encounter';
  readonly id: string;
  readonly status: 'arrived' | 'triaged' | 'in-progress' | 'onleave' | 'finished';
  readonly class: FhirCoding;
  readonly subject: FhirReference;
  readonly period: FhirPeriod & { readonly start: string };
}

/** `uk.mash.health.protection-flag.v1` data. */
export interface FhirFlag {
  readonly resourceType: 'Flag';
  readonly id: string;
  readonly status: 'active' | 'inactive';
  readonly code: { readonly coding: readonly FhirCoding[] };
  readonly subject: FhirReference;
  readonly period: FhirPeriod & { readonly start: string };
}
