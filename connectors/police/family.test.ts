import type { StatusFacts } from '@mash/schema';
import { familyTestKit } from '../runtime/family-test-kit';
import { identifiersInSummary } from '../runtime/summary-rule';
import { POLICE_EVENT_TYPES as T } from './events';
import { dashRiskLevel, policeFamily } from './family';

const subject = { system: 'police-person-id', value: 'NICHE-7730142' } as const;
const { map, validate, rejection } = familyTestKit(policeFamily, 'tvp-niche', '2025-11-20T14:05:00Z');

interface Case {
  readonly type: string;
  readonly data: object;
  readonly kind: string;
  readonly facts: StatusFacts;
  readonly summary: string;
  readonly occurredAt: string;
}

const notice = (bragRating: string, childrenPresent = false) => ({
  subject,
  bragRating,
  childrenPresent,
  incidentRef: 'TVP-1',
});

/** Every type's mapping: kind, facts (exactly), summary and the time it is dated at. */
const CASES: Record<string, Case> = {
  'a strategy discussion view to a threshold judgement dated at the discussion': {
    type: T.strategyDiscussionView,
    data: {
      subject,
      threshold: 'child-protection',
      discussionAt: '2025-11-20T10:30:00+01:00',
      incidentRef: 'TVP-2025-114223',
    },
    kind: 'threshold-judgement',
    facts: { threshold: 'child-protection', reference: 'TVP-2025-114223' },
    summary: 'Police view at strategy discussion: child protection (s47)',
    occurredAt: '2025-11-20T09:30:00.000Z',
  },
  'a strategy discussion view without an incident, with no reference': {
    type: T.strategyDiscussionView,
    data: { subject, threshold: 'early-help', discussionAt: '2025-11-20T10:30:00Z' },
    kind: 'threshold-judgement',
    facts: { threshold: 'early-help' },
    summary: 'Police view at strategy discussion: early help',
    occurredAt: '2025-11-20T10:30:00.000Z',
  },
  'a red protection notice with children present to high risk, keeping its rating': {
    type: T.protectionNotice,
    data: notice('red', true),
    kind: 'protection-notice',
    facts: { riskLevel: 'high', bragRating: 'red', reference: 'TVP-1' },
    summary: 'Police protection notice submitted, rated red; children present',
    occurredAt: '2025-11-20T14:05:00.000Z',
  },
  'an amber protection notice to medium risk': {
    type: T.protectionNotice,
    data: notice('amber'),
    kind: 'protection-notice',
    facts: { riskLevel: 'medium', bragRating: 'amber', reference: 'TVP-1' },
    summary: 'Police protection notice submitted, rated amber; children not present',
    occurredAt: '2025-11-20T14:05:00.000Z',
  },
  'a green protection notice to standard risk': {
    type: T.protectionNotice,
    data: notice('green'),
    kind: 'protection-notice',
    facts: { riskLevel: 'standard', bragRating: 'green', reference: 'TVP-1' },
    summary: 'Police protection notice submitted, rated green; children not present',
    occurredAt: '2025-11-20T14:05:00.000Z',
  },
  'a blue protection notice to standard risk': {
    type: T.protectionNotice,
    data: notice('blue'),
    kind: 'protection-notice',
    facts: { riskLevel: 'standard', bragRating: 'blue', reference: 'TVP-1' },
    summary: 'Police protection notice submitted, rated blue; children not present',
    occurredAt: '2025-11-20T14:05:00.000Z',
  },
  'a DASH assessment to a risk assessment at the recorded level, with its score': {
    type: T.dashAssessment,
    data: { subject, score: 9, level: 'medium' },
    kind: 'risk-assessment',
    facts: { riskLevel: 'medium', dashScore: 9 },
    summary: 'DASH risk assessment: medium risk (9 of 27 ticked)',
    occurredAt: '2025-11-20T14:05:00.000Z',
  },
  'a DASH assessment of 15 ticks recorded as medium to high risk': {
    type: T.dashAssessment,
    data: { subject, score: 15, level: 'medium', incidentRef: 'X-1' },
    kind: 'risk-assessment',
    facts: { riskLevel: 'high', dashScore: 15, reference: 'X-1' },
    summary: 'DASH risk assessment: high risk (15 of 27 ticked)',
    occurredAt: '2025-11-20T14:05:00.000Z',
  },
  'a missing episode reported, with its risk grading, to status missing': {
    type: T.missingEpisodeReported,
    data: {
      subject,
      episodeRef: 'TVP-MISS-2025-2207',
      reportedAt: '2025-11-22T23:10:00Z',
      riskGrade: 'medium',
    },
    kind: 'missing-episode',
    facts: {
      missingEpisode: { ref: 'TVP-MISS-2025-2207', status: 'missing' },
      reference: 'TVP-MISS-2025-2207',
    },
    summary: 'Reported missing to police, graded medium risk',
    occurredAt: '2025-11-22T23:10:00.000Z',
  },
  'a missing episode reported without a grading': {
    type: T.missingEpisodeReported,
    data: { subject, episodeRef: 'M-1', reportedAt: '2025-11-22T23:10:00Z' },
    kind: 'missing-episode',
    facts: { missingEpisode: { ref: 'M-1', status: 'missing' }, reference: 'M-1' },
    summary: 'Reported missing to police',
    occurredAt: '2025-11-22T23:10:00.000Z',
  },
  'a return from a missing episode to status returned, with the same episode reference': {
    type: T.missingEpisodeReturned,
    data: { subject, episodeRef: 'TVP-MISS-2025-2207', returnedAt: '2025-11-23T14:45:00Z' },
    kind: 'missing-episode',
    facts: {
      missingEpisode: { ref: 'TVP-MISS-2025-2207', status: 'returned' },
      reference: 'TVP-MISS-2025-2207',
    },
    summary: 'Missing episode ended: found or returned',
    occurredAt: '2025-11-23T14:45:00.000Z',
  },
  'a MARAC referral to high risk, with its criterion': {
    type: T.maracReferral,
    data: {
      subject,
      referralRef: 'TVP-MARAC-2025-0419',
      referredAt: '2025-11-21T09:00:00Z',
      criterion: 'professional-judgement',
    },
    kind: 'marac-referral',
    facts: { riskLevel: 'high', reference: 'TVP-MARAC-2025-0419' },
    summary: 'Police referral to MARAC (professional judgement)',
    occurredAt: '2025-11-21T09:00:00.000Z',
  },
  'a MARAC referral without a criterion': {
    type: T.maracReferral,
    data: { subject, referralRef: 'MR-1', referredAt: '2025-11-21T09:00:00Z' },
    kind: 'marac-referral',
    facts: { riskLevel: 'high', reference: 'MR-1' },
    summary: 'Police referral to MARAC',
    occurredAt: '2025-11-21T09:00:00.000Z',
  },
};

describe('police family', () => {
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

  it('rates a DASH assessment with 14 or more ticks as high risk whatever level was recorded', () => {
    expect(dashRiskLevel(13, 'medium')).toBe('medium');
    expect(dashRiskLevel(14, 'standard')).toBe('high');
    expect(dashRiskLevel(5, 'high')).toBe('high');
  });

  it("carries the other identifiers of the police record (a local authority's person id)", () => {
    const other = { system: 'la-person-id', value: 'LCS-448812' } as const;
    const mapped = map(T.maracReferral, {
      subject,
      referralRef: 'MR-1',
      referredAt: '2025-11-21T09:00:00Z',
      otherIdentifiers: [other],
    });
    expect(mapped.otherIdentifiers).toEqual([other]);
  });

  it.each([
    [
      'a returned episode without its reference',
      T.missingEpisodeReturned,
      { subject, returnedAt: '2025-11-23T14:45:00Z' },
      "/data: must have required property 'episodeRef'",
    ],
    [
      'a missing risk grading outside the list',
      T.missingEpisodeReported,
      { subject, episodeRef: 'M-1', reportedAt: '2025-11-22T23:10:00Z', riskGrade: 'absent' },
      '/data/riskGrade: must be one of "no-apparent-risk", "low", "medium", "high"',
    ],
    [
      'a report time without a time zone',
      T.missingEpisodeReported,
      { subject, episodeRef: 'M-1', reportedAt: '2025-11-22T23:10:00' },
      '/data/reportedAt: must match format "date-time"',
    ],
    [
      'a MARAC criterion outside the list',
      T.maracReferral,
      { subject, referralRef: 'MR-1', referredAt: '2025-11-21T09:00:00Z', criterion: 'high' },
      '/data/criterion: must be one of "visible-high-risk", "professional-judgement", "potential-escalation", "repeat"',
    ],
    [
      'a DASH score above 27',
      T.dashAssessment,
      { subject, score: 28, level: 'high' },
      '/data/score: must be <= 27',
    ],
    [
      'another identifier that is not a police or local authority identifier in form',
      T.maracReferral,
      {
        subject,
        referralRef: 'MR-1',
        referredAt: '2025-11-21T09:00:00Z',
        otherIdentifiers: [{ system: 'la-person-id', value: 'lcs 448812' }],
      },
      '/data/otherIdentifiers/0/value: must match pattern "^[A-Z0-9]+(-[A-Z0-9]+)*$"',
    ],
    [
      'another identifier whose system is unknown',
      T.protectionNotice,
      { ...notice('red'), otherIdentifiers: [{ system: 'passport', value: '123456789' }] },
      '/data/otherIdentifiers/0/system: must be one of "nhs-number", "la-person-id", "police-person-id", "upn"',
    ],
  ])('rejects %s as EVENT_DATA_INVALID, naming the field', (_name, type, data, reason) => {
    expect(rejection(type, data)).toEqual({ code: 'EVENT_DATA_INVALID', reason });
  });
});
