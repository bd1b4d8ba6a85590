import type { StatusFacts } from '@mash/schema';
import { familyTestKit } from '../runtime/family-test-kit';
import { identifiersInSummary } from '../runtime/summary-rule';
import { LA_ADULTS_EVENT_TYPES as T } from './events';
import { laAdultsFamily } from './family';

const subject = { system: 'la-person-id', value: 'LAS-220417' } as const;
const nhsNumber = { system: 'nhs-number', value: '4010232137' } as const;
const { map, validate, rejection } = familyTestKit(laAdultsFamily, 'mk-las', '2025-11-24T12:00:00Z');

interface Case {
  readonly name: string;
  readonly type: string;
  readonly data: object;
  readonly kind: string;
  readonly facts: StatusFacts;
  readonly summary: string;
  readonly occurredAt: string;
}

const concern = (extra: object = {}) => ({
  subject,
  concernRef: 'MK-ASC-2025-1187',
  receivedAt: '2025-11-24T10:15:00Z',
  ...extra,
});
const decision = (extra: object) => ({
  subject,
  concernRef: 'MK-ASC-2025-1187',
  decidedAt: '2025-11-26T16:00:00Z',
  ...extra,
});
const planStarted = (extra: object = {}) => ({
  subject,
  planRef: 'MK-ASP-2025-0042',
  startedAt: '2025-12-03T11:00:00Z',
  ...extra,
});

const cases: Case[] = [
  {
    name: 'a concern received from the police',
    type: T.concernReceived,
    data: concern({ raisedByAgency: 'police' }),
    kind: 'safeguarding-concern',
    facts: { reference: 'MK-ASC-2025-1187' },
    summary: 'Adult safeguarding concern received (raised by police)',
    occurredAt: '2025-11-24T10:15:00.000Z',
  },
  {
    name: 'a concern received, not saying from whom',
    type: T.concernReceived,
    data: concern(),
    kind: 'safeguarding-concern',
    facts: { reference: 'MK-ASC-2025-1187' },
    summary: 'Adult safeguarding concern received',
    occurredAt: '2025-11-24T10:15:00.000Z',
  },
  {
    name: 'a decision to make a s42 enquiry',
    type: T.enquiryDecision,
    data: decision({ decision: 'enquiry', enquiryType: 'section-42' }),
    kind: 'safeguarding-enquiry-decision',
    facts: {
      safeguardingEnquiry: { decision: 'enquiry', type: 'section-42' },
      reference: 'MK-ASC-2025-1187',
    },
    summary: 'Safeguarding concern progressed to a s42 safeguarding enquiry',
    occurredAt: '2025-11-26T16:00:00.000Z',
  },
  {
    name: 'a decision to make another safeguarding enquiry',
    type: T.enquiryDecision,
    data: decision({ decision: 'enquiry', enquiryType: 'other-safeguarding' }),
    kind: 'safeguarding-enquiry-decision',
    facts: {
      safeguardingEnquiry: { decision: 'enquiry', type: 'other-safeguarding' },
      reference: 'MK-ASC-2025-1187',
    },
    summary: 'Safeguarding concern progressed to another safeguarding enquiry (not s42)',
    occurredAt: '2025-11-26T16:00:00.000Z',
  },
  {
    name: 'a decision of no enquiry, as a concern ending with no further action',
    type: T.enquiryDecision,
    data: decision({ decision: 'no-enquiry', noEnquiryReason: 'criteria-not-met' }),
    kind: 'safeguarding-enquiry-decision',
    facts: {
      safeguardingEnquiry: { decision: 'no-enquiry' },
      referralOutcome: 'no-further-action',
      reference: 'MK-ASC-2025-1187',
    },
    summary: 'Safeguarding concern not progressed to an enquiry: s42 criteria not met',
    occurredAt: '2025-11-26T16:00:00.000Z',
  },
  {
    name: 'a safeguarding plan started, with its visit frequency (PlanFacts)',
    type: T.planStarted,
    data: planStarted({ visitFrequencyDays: 14 }),
    kind: 'plan-started',
    facts: {
      plan: { ref: 'MK-ASP-2025-0042', kind: 'adult-safeguarding', visitFrequencyDays: 14 },
      reference: 'MK-ASP-2025-0042',
    },
    summary: 'Adult safeguarding plan started (seen at least every 14 days)',
    occurredAt: '2025-12-03T11:00:00.000Z',
  },
  {
    name: 'a safeguarding plan started without a visit frequency',
    type: T.planStarted,
    data: planStarted(),
    kind: 'plan-started',
    facts: { plan: { ref: 'MK-ASP-2025-0042', kind: 'adult-safeguarding' }, reference: 'MK-ASP-2025-0042' },
    summary: 'Adult safeguarding plan started',
    occurredAt: '2025-12-03T11:00:00.000Z',
  },
  {
    name: 'a safeguarding plan ended with the risk reduced',
    type: T.planEnded,
    data: {
      subject,
      planRef: 'MK-ASP-2025-0042',
      endedAt: '2026-02-20T15:30:00Z',
      riskOutcome: 'risk-reduced',
    },
    kind: 'plan-ended',
    facts: { plan: { ref: 'MK-ASP-2025-0042', kind: 'adult-safeguarding' }, reference: 'MK-ASP-2025-0042' },
    summary: 'Adult safeguarding plan ended: risk reduced',
    occurredAt: '2026-02-20T15:30:00.000Z',
  },
  {
    name: 'a case closed',
    type: T.caseClosed,
    data: {
      subject,
      caseRef: 'MK-ASC-CASE-30918',
      closedAt: '2026-03-02T09:00:00Z',
      closureReason: 'needs-met',
    },
    kind: 'case-closed',
    facts: { closed: true, reference: 'MK-ASC-CASE-30918' },
    summary: 'Adult social care case closed: needs met',
    occurredAt: '2026-03-02T09:00:00.000Z',
  },
];

describe('adult social care family', () => {
  it.each(cases)('maps $name', (c) => {
    expect(validate(c.type, c.data)).toEqual({
      ok: true,
      event: expect.any(Object),
    });
    const mapped = map(c.type, c.data);
    expect(mapped).toEqual({
      subject,
      kind: c.kind,
      facts: c.facts,
      summary: c.summary,
      occurredAt: c.occurredAt,
    });
    expect(identifiersInSummary(mapped.summary, c.data)).toEqual([]);
  });

  it("carries the adult's NHS number from the other identifiers, for the cases service to link", () => {
    const mapped = map(T.concernReceived, concern({ otherIdentifiers: [nhsNumber, subject] }));
    expect(mapped.subject).toEqual(subject);
    expect(mapped.otherIdentifiers).toEqual([nhsNumber]);
  });

  it.each([
    [
      'an enquiry decision that does not say which enquiry',
      T.enquiryDecision,
      decision({ decision: 'enquiry' }),
      "/data: must have required property 'enquiryType'",
    ],
    [
      'a decision of no enquiry that names an enquiry type',
      T.enquiryDecision,
      decision({ decision: 'no-enquiry', enquiryType: 'section-42' }),
      '/data/enquiryType: must not be present here',
    ],
    [
      'an enquiry decision giving a reason for no enquiry',
      T.enquiryDecision,
      decision({ decision: 'enquiry', enquiryType: 'section-42', noEnquiryReason: 'other' }),
      '/data/noEnquiryReason: must not be present here',
    ],
    [
      'an adult known by NHS number as the subject (adult social care keys by its own person id)',
      T.concernReceived,
      concern({ subject: nhsNumber }),
      '/data/subject/system: must be one of "la-person-id"',
    ],
    [
      'an NHS number with a wrong check digit among the other identifiers',
      T.planStarted,
      planStarted({ otherIdentifiers: [{ system: 'nhs-number', value: '4010232138' }] }),
      '/data/otherIdentifiers/0/value: must match format "nhs-number"',
    ],
    [
      "a children's plan kind",
      T.planStarted,
      planStarted({ planKind: 'child-protection' }),
      '/data: unknown property "planKind"',
    ],
  ])('rejects %s as EVENT_DATA_INVALID', (_, type, data, reason) => {
    expect(rejection(type, data)).toEqual({ code: 'EVENT_DATA_INVALID', reason });
  });
});
