import { eventData, identifiersOf, occurredAt, type FamilyDefinition } from '../runtime/family';
import {
  EDUCATION_EVENT_TYPES,
  type AttendanceBelowThresholdData,
  type ChildMissingEducationData,
  type MissingEducationCircumstance,
  type SuspensionOrExclusionData,
  type UnexplainedAbsenceData,
} from './events';

const CIRCUMSTANCE_WORDS: Record<MissingEducationCircumstance, string> = {
  'removed-from-roll-destination-unknown': 'removed from a school roll with no known destination',
  'not-registered-at-a-school': 'not registered at a school',
  'not-receiving-suitable-education': 'not receiving suitable education',
  other: 'other circumstances',
};

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

export const educationFamily: FamilyDefinition = {
  family: 'education',
  identifierSystems: ['upn'],
  mappers: {
    [EDUCATION_EVENT_TYPES.attendanceBelowThreshold]: (event) => {
      const data = eventData<AttendanceBelowThresholdData>(event);
      const below =
        data.thresholdPercentage === undefined
          ? "below the school's threshold"
          : `below the school's threshold of ${data.thresholdPercentage}%`;
      return {
        ...identifiersOf(data),
        kind: 'attendance-below-threshold',
        facts: {
          attendance: {
            percentage: data.percentage,
            periodStart: data.periodStart,
            periodEnd: data.periodEnd,
          },
        },
        summary: `School attendance ${data.percentage}% from ${data.periodStart} to ${data.periodEnd}, ${below}`,
        occurredAt: occurredAt(event),
      };
    },
    [EDUCATION_EVENT_TYPES.unexplainedAbsence]: (event) => {
      const data = eventData<UnexplainedAbsenceData>(event);
      const sessions =
        data.sessionsMissed === undefined ? '' : ` (${plural(data.sessionsMissed, 'session')} missed)`;
      return {
        ...identifiersOf(data),
        kind: 'unexplained-absence',
        facts: {},
        summary: `Unexplained absence from school from ${data.absenceDate}${sessions}`,
        occurredAt: occurredAt(event),
      };
    },
    [EDUCATION_EVENT_TYPES.suspensionOrExclusion]: (event) => {
      const data = eventData<SuspensionOrExclusionData>(event);
      const suspension = data.exclusionType === 'suspension';
      return {
        ...identifiersOf(data),
        kind: 'suspension-or-exclusion',
        facts: {
          exclusion: {
            type: data.exclusionType,
            ...(suspension && data.days !== undefined && { days: data.days }),
          },
          ...(data.exclusionRef !== undefined && { reference: data.exclusionRef }),
        },
        summary: suspension
          ? `Suspended from school for ${plural(data.days ?? 0, 'school day')} from ${data.startDate}`
          : `Permanently excluded from school from ${data.startDate}`,
        occurredAt: occurredAt(event, data.decidedAt),
      };
    },
    [EDUCATION_EVENT_TYPES.childMissingEducation]: (event) => {
      const data = eventData<ChildMissingEducationData>(event);
      const how = data.circumstance ? `: ${CIRCUMSTANCE_WORDS[data.circumstance]}` : '';
      return {
        ...identifiersOf(data),
        kind: 'child-missing-education',
        facts: {},
        summary: `Child missing education${how}`,
        occurredAt: occurredAt(event, data.identifiedAt),
      };
    },
  },
};
