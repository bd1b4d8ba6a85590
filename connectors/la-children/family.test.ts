import { createCloudEvent } from '../runtime/cloudevent';
import { mapperFor } from '../runtime/family';
import { LA_CHILDREN_EVENT_TYPES } from './events';
import { laChildrenFamily } from './family';

const subject = { system: 'la-person-id', value: 'LCS-448812' } as const;

function map(type: string, data: object) {
  const mapper = mapperFor(laChildrenFamily, type);
  if (!mapper) throw new Error(`no mapper for ${type}`);
  return mapper(createCloudEvent({ sourceSystem: 'mk-lcs', type, data, time: '2025-11-21T12:00:00Z' }));
}

describe('children social care family', () => {
  it('maps a referral closed with no further action, dated at the decision', () => {
    expect(
      map(LA_CHILDREN_EVENT_TYPES.referralOutcome, {
        subject,
        referralRef: 'MK-REF-2025-0912',
        outcome: 'no-further-action',
        decidedAt: '2025-11-21T09:15:00Z',
      }),
    ).toEqual({
      subject,
      kind: 'referral-outcome',
      facts: { referralOutcome: 'no-further-action', reference: 'MK-REF-2025-0912' },
      summary: 'Referral closed with no further action',
      occurredAt: '2025-11-21T09:15:00.000Z',
    });
  });

  it('names the referring agency type in the summary', () => {
    const mapped = map(LA_CHILDREN_EVENT_TYPES.referralOutcome, {
      subject,
      referralRef: 'R-1',
      outcome: 'child-protection',
      decidedAt: '2025-11-21T09:15:00Z',
      referrerAgency: 'police',
    });
    expect(mapped.summary).toBe(
      'Referral progressed to child protection enquiries (s47) (referred by police)',
    );
    expect(mapped.facts.referralOutcome).toBe('child-protection');
  });

  it('maps a case closure to a closed position with the case reference', () => {
    expect(
      map(LA_CHILDREN_EVENT_TYPES.caseClosed, {
        subject,
        caseRef: 'MK-CASE-77120',
        closedAt: '2025-11-21T16:00:00Z',
        closureReason: 'stepped-down-to-early-help',
      }),
    ).toEqual({
      subject,
      kind: 'case-closed',
      facts: { closed: true, reference: 'MK-CASE-77120' },
      summary: "Children's social care case closed: stepped down to early help",
      occurredAt: '2025-11-21T16:00:00.000Z',
    });
  });

  it('summarises a case closure without a reason', () => {
    const mapped = map(LA_CHILDREN_EVENT_TYPES.caseClosed, {
      subject,
      caseRef: 'C-1',
      closedAt: '2025-11-21T16:00:00Z',
    });
    expect(mapped.summary).toBe("Children's social care case closed");
  });
});
