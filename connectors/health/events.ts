import type { SubjectIdentifier } from '@mash/schema';

/** The health family's published CloudEvent types. */
export const HEALTH_EVENT_TYPES = {
  appointmentNotAttended: 'uk.mash.health.appointment-not-attended.v1',
} as const;

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

/** `uk.mash.health.appointment-not-attended.v1` data: a FHIR R4 Appointment whose status became `noshow`. */
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
