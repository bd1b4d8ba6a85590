import { createCloudEvent } from '../runtime/cloudevent';
import { mapperFor } from '../runtime/family';
import { POLICE_EVENT_TYPES } from './events';
import { dashRiskLevel, policeFamily } from './family';

const subject = { system: 'police-person-id', value: 'NICHE-7730142' } as const;

function map(type: string, data: object, time = '2025-11-20T14:05:00Z') {
  const mapper = mapperFor(policeFamily, type);
  if (!mapper) throw new Error(`no mapper for ${type}`);
  return mapper(createCloudEvent({ sourceSystem: 'tvp-niche', type, data, time }));
}

describe('police family', () => {
  it('maps a strategy discussion view to a threshold judgement dated at the discussion', () => {
    expect(
      map(POLICE_EVENT_TYPES.strategyDiscussionView, {
        subject,
        threshold: 'child-protection',
        discussionAt: '2025-11-20T10:30:00+01:00',
        incidentRef: 'TVP-2025-114223',
      }),
    ).toEqual({
      subject,
      kind: 'threshold-judgement',
      facts: { threshold: 'child-protection', reference: 'TVP-2025-114223' },
      summary: 'Police view at strategy discussion: child protection (s47)',
      occurredAt: '2025-11-20T09:30:00.000Z',
    });
  });

  it('leaves the reference out of a strategy discussion view without an incident', () => {
    const mapped = map(POLICE_EVENT_TYPES.strategyDiscussionView, {
      subject,
      threshold: 'early-help',
      discussionAt: '2025-11-20T10:30:00Z',
    });
    expect(mapped.facts).toEqual({ threshold: 'early-help' });
  });

  it.each([
    ['red', 'high'],
    ['amber', 'medium'],
    ['green', 'standard'],
    ['blue', 'standard'],
  ])('maps a %s protection notice to %s risk', (bragRating, riskLevel) => {
    const mapped = map(POLICE_EVENT_TYPES.protectionNotice, {
      subject,
      bragRating,
      childrenPresent: false,
      incidentRef: 'TVP-1',
    });
    expect(mapped).toMatchObject({ kind: 'protection-notice', facts: { riskLevel, reference: 'TVP-1' } });
    expect(mapped.summary).toBe(
      `Police protection notice submitted, rated ${bragRating}; children not present`,
    );
    expect(mapped.occurredAt).toBe('2025-11-20T14:05:00.000Z');
  });

  it('says when children were present at the incident', () => {
    const mapped = map(POLICE_EVENT_TYPES.protectionNotice, {
      subject,
      bragRating: 'red',
      childrenPresent: true,
      incidentRef: 'TVP-1',
    });
    expect(mapped.summary).toBe('Police protection notice submitted, rated red; children present');
  });

  it('maps a DASH assessment to a risk assessment at the recorded level', () => {
    expect(map(POLICE_EVENT_TYPES.dashAssessment, { subject, score: 9, level: 'medium' })).toEqual({
      subject,
      kind: 'risk-assessment',
      facts: { riskLevel: 'medium' },
      summary: 'DASH risk assessment: medium risk (9 of 27 ticked)',
      occurredAt: '2025-11-20T14:05:00.000Z',
    });
  });

  it('rates a DASH assessment with 14 or more ticks as high risk whatever level was recorded', () => {
    expect(dashRiskLevel(13, 'medium')).toBe('medium');
    expect(dashRiskLevel(14, 'standard')).toBe('high');
    expect(dashRiskLevel(5, 'high')).toBe('high');
    const mapped = map(POLICE_EVENT_TYPES.dashAssessment, {
      subject,
      score: 15,
      level: 'medium',
      incidentRef: 'X-1',
    });
    expect(mapped.facts).toEqual({ riskLevel: 'high', reference: 'X-1' });
  });
});
