import type { SubjectIdentifier } from '@mash/schema';

/** The education family's published CloudEvent types (schools' and local authorities' education systems). */
export const EDUCATION_EVENT_TYPES = {
  attendanceBelowThreshold: 'uk.mash.education.attendance-below-threshold.v1',
  unexplainedAbsence: 'uk.mash.education.unexplained-absence.v1',
  suspensionOrExclusion: 'uk.mash.education.suspension-or-exclusion.v1',
  childMissingEducation: 'uk.mash.education.child-missing-education.v1',
} as const;

export interface UpnSubject {
  readonly system: 'upn';
  /** Unique Pupil Number: 13 characters with a valid check letter (`isValidUpn`). */
  readonly value: string;
}

/** What every education event's data carries about its subject. */
interface EducationData {
  readonly subject: UpnSubject;
  /** Other identifiers the school's record holds for the pupil. */
  readonly otherIdentifiers?: readonly SubjectIdentifier[];
}

/** `uk.mash.education.attendance-below-threshold.v1` data. */
export interface AttendanceBelowThresholdData extends EducationData {
  /** Sessions attended as a percentage of possible sessions, 0 to 100. */
  readonly percentage: number;
  /** Calendar dates (YYYY-MM-DD). */
  readonly periodStart: string;
  readonly periodEnd: string;
  /** The school's threshold the attendance fell below. */
  readonly thresholdPercentage?: number;
}

/** `uk.mash.education.unexplained-absence.v1` data. */
export interface UnexplainedAbsenceData extends EducationData {
  /** Calendar date (YYYY-MM-DD) of the (first) day absent. */
  readonly absenceDate: string;
  /** Half-day sessions missed so far. */
  readonly sessionsMissed?: number;
}

export const EXCLUSION_TYPES = ['suspension', 'permanent-exclusion'] as const;
export type ExclusionType = (typeof EXCLUSION_TYPES)[number];

/** `uk.mash.education.suspension-or-exclusion.v1` data. */
export interface SuspensionOrExclusionData extends EducationData {
  readonly exclusionType: ExclusionType;
  /** School days of a suspension, in half days; absent for a permanent exclusion. */
  readonly days?: number;
  /** Calendar date (YYYY-MM-DD). */
  readonly startDate: string;
  readonly decidedAt: string;
  readonly exclusionRef?: string;
}

export const MISSING_EDUCATION_CIRCUMSTANCES = [
  'removed-from-roll-destination-unknown',
  'not-registered-at-a-school',
  'not-receiving-suitable-education',
  'other',
] as const;
export type MissingEducationCircumstance = (typeof MISSING_EDUCATION_CIRCUMSTANCES)[number];

/** `uk.mash.education.child-missing-education.v1` data. */
export interface ChildMissingEducationData extends EducationData {
  readonly identifiedAt: string;
  readonly circumstance?: MissingEducationCircumstance;
}
