import type { StatusFacts } from '@mash/schema';
import { familyTestKit } from '../runtime/family-test-kit';
import { identifiersInSummary } from '../runtime/summary-rule';
import { EDUCATION_EVENT_TYPES as T } from './events';
import { educationFamily } from './family';

const subject = { system: 'upn', value: 'B801200005001' } as const;
const { map, validate, rejection } = familyTestKit(educationFamily, 'mk-cpoms', '2025-11-20T08:30:00Z');

interface Case {
  readonly type: string;
  readonly data: object;
  readonly kind: string;
  readonly facts: StatusFacts;
  readonly summary: string;
  readonly occurredAt: string;
}

const attendance = {
  subject,
  percentage: 84.5,
  periodStart: '2025-09-03',
  periodEnd: '2025-11-14',
};
const suspension = {
  subject,
  exclusionType: 'suspension',
  days: 3,
  startDate: '2025-11-24',
  decidedAt: '2025-11-21T15:30:00Z',
};

/** Every type's mapping: kind, facts (exactly), summary and the time it is dated at. */
const CASES: Record<string, Case> = {
  "attendance below the school's stated threshold, dated at the envelope's time": {
    type: T.attendanceBelowThreshold,
    data: { ...attendance, thresholdPercentage: 90 },
    kind: 'attendance-below-threshold',
    facts: { attendance: { percentage: 84.5, periodStart: '2025-09-03', periodEnd: '2025-11-14' } },
    summary: "School attendance 84.5% from 2025-09-03 to 2025-11-14, below the school's threshold of 90%",
    occurredAt: '2025-11-20T08:30:00.000Z',
  },
  'attendance below an unstated threshold': {
    type: T.attendanceBelowThreshold,
    data: attendance,
    kind: 'attendance-below-threshold',
    facts: { attendance: { percentage: 84.5, periodStart: '2025-09-03', periodEnd: '2025-11-14' } },
    summary: "School attendance 84.5% from 2025-09-03 to 2025-11-14, below the school's threshold",
    occurredAt: '2025-11-20T08:30:00.000Z',
  },
  'an unexplained absence with the sessions missed': {
    type: T.unexplainedAbsence,
    data: { subject, absenceDate: '2025-11-19', sessionsMissed: 2 },
    kind: 'unexplained-absence',
    facts: {},
    summary: 'Unexplained absence from school from 2025-11-19 (2 sessions missed)',
    occurredAt: '2025-11-20T08:30:00.000Z',
  },
  'an unexplained absence of one session': {
    type: T.unexplainedAbsence,
    data: { subject, absenceDate: '2025-11-19', sessionsMissed: 1 },
    kind: 'unexplained-absence',
    facts: {},
    summary: 'Unexplained absence from school from 2025-11-19 (1 session missed)',
    occurredAt: '2025-11-20T08:30:00.000Z',
  },
  'a suspension with its length, dated at the decision': {
    type: T.suspensionOrExclusion,
    data: { ...suspension, exclusionRef: 'EXC-2025-11' },
    kind: 'suspension-or-exclusion',
    facts: { exclusion: { type: 'suspension', days: 3 }, reference: 'EXC-2025-11' },
    summary: 'Suspended from school for 3 school days from 2025-11-24',
    occurredAt: '2025-11-21T15:30:00.000Z',
  },
  'a half-day suspension': {
    type: T.suspensionOrExclusion,
    data: { ...suspension, days: 0.5 },
    kind: 'suspension-or-exclusion',
    facts: { exclusion: { type: 'suspension', days: 0.5 } },
    summary: 'Suspended from school for 0.5 school days from 2025-11-24',
    occurredAt: '2025-11-21T15:30:00.000Z',
  },
  'a permanent exclusion': {
    type: T.suspensionOrExclusion,
    data: {
      subject,
      exclusionType: 'permanent-exclusion',
      startDate: '2025-11-24',
      decidedAt: '2025-11-21T15:30:00Z',
    },
    kind: 'suspension-or-exclusion',
    facts: { exclusion: { type: 'permanent-exclusion' } },
    summary: 'Permanently excluded from school from 2025-11-24',
    occurredAt: '2025-11-21T15:30:00.000Z',
  },
  'a child missing education, with how': {
    type: T.childMissingEducation,
    data: {
      subject,
      identifiedAt: '2025-11-25T10:00:00Z',
      circumstance: 'removed-from-roll-destination-unknown',
    },
    kind: 'child-missing-education',
    facts: {},
    summary: 'Child missing education: removed from a school roll with no known destination',
    occurredAt: '2025-11-25T10:00:00.000Z',
  },
  'a child missing education, circumstances not given': {
    type: T.childMissingEducation,
    data: { subject, identifiedAt: '2025-11-25T10:00:00Z' },
    kind: 'child-missing-education',
    facts: {},
    summary: 'Child missing education',
    occurredAt: '2025-11-25T10:00:00.000Z',
  },
};

describe('education family', () => {
  describe.each(Object.entries(CASES))('maps %s', (_name, c) => {
    it('to its status change', () => {
      expect(validate(c.type, c.data)).toMatchObject({
        ok: true,
      });
      expect(map(c.type, c.data)).toEqual({
        subject,
        kind: c.kind,
        facts: c.facts,
        summary: c.summary,
        occurredAt: c.occurredAt,
      });
    });

    it('with a summary that holds no identifier or reference', () => {
      expect(identifiersInSummary(map(c.type, c.data).summary, c.data)).toEqual([]);
    });
  });

  it('has a mapping case for every one of its types', () => {
    expect(new Set(Object.values(CASES).map((c) => c.type))).toEqual(new Set(Object.values(T)));
  });

  it("carries the other identifiers of the school's record", () => {
    const others = [
      { system: 'la-person-id', value: 'LCS-448812' },
      { system: 'nhs-number', value: '9434765919' },
    ] as const;
    expect(
      map(T.unexplainedAbsence, { subject, absenceDate: '2025-11-19', otherIdentifiers: others }),
    ).toEqual(expect.objectContaining({ subject, otherIdentifiers: others }));
  });

  it('accepts a temporary UPN, whose last character is a letter', () => {
    const data = { subject: { system: 'upn', value: 'M80120000500A' }, absenceDate: '2025-11-19' };
    expect(validate(T.unexplainedAbsence, data)).toMatchObject({
      ok: true,
    });
  });

  it.each([
    [
      'a UPN with a wrong check letter, without quoting it',
      T.unexplainedAbsence,
      { subject: { system: 'upn', value: 'A801200005001' }, absenceDate: '2025-11-19' },
      '/data/subject/value: must match format "upn"',
    ],
    [
      'a UPN of the wrong shape',
      T.unexplainedAbsence,
      { subject: { system: 'upn', value: 'B80120000500' }, absenceDate: '2025-11-19' },
      '/data/subject/value: must match pattern "^[A-HJ-NP-RT-Z][0-9]{11}[0-9A-HJ-NP-RT-Z]$"; /data/subject/value: must match format "upn"',
    ],
    [
      'a subject known by a local authority person id',
      T.childMissingEducation,
      { subject: { system: 'la-person-id', value: 'B801200005001' }, identifiedAt: '2025-11-25T10:00:00Z' },
      '/data/subject/system: must be one of "upn"',
    ],
    [
      'an attendance percentage above 100',
      T.attendanceBelowThreshold,
      { ...attendance, percentage: 101 },
      '/data/percentage: must be <= 100',
    ],
    [
      'a period date that is no calendar date',
      T.attendanceBelowThreshold,
      { ...attendance, periodEnd: '2025-11-31' },
      '/data/periodEnd: must match format "date"',
    ],
    [
      'a suspension without its length',
      T.suspensionOrExclusion,
      { ...suspension, days: undefined },
      "/data: must have required property 'days'",
    ],
    [
      'a permanent exclusion with a length',
      T.suspensionOrExclusion,
      { ...suspension, exclusionType: 'permanent-exclusion' },
      '/data/days: must not be present here',
    ],
    [
      'a suspension in other than half days',
      T.suspensionOrExclusion,
      { ...suspension, days: 1.25 },
      '/data/days: must be multiple of 0.5',
    ],
    [
      'an exclusion type outside the list',
      T.suspensionOrExclusion,
      { ...suspension, exclusionType: 'fixed-term' },
      '/data/exclusionType: must be one of "suspension", "permanent-exclusion"',
    ],
    [
      'another identifier whose NHS number has a wrong check digit',
      T.unexplainedAbsence,
      {
        subject,
        absenceDate: '2025-11-19',
        otherIdentifiers: [
          { system: 'la-person-id', value: 'LCS-448812' },
          { system: 'nhs-number', value: '9434765918' },
        ],
      },
      '/data/otherIdentifiers/1/value: must match format "nhs-number"',
    ],
  ])('rejects %s as EVENT_DATA_INVALID, naming the field', (_name, type, data, reason) => {
    expect(rejection(type, data)).toEqual({ code: 'EVENT_DATA_INVALID', reason });
  });
});
