import type { StatusFacts } from '@mash/schema';
import { familyTestKit } from '../runtime/family-test-kit';
import { identifiersInSummary } from '../runtime/summary-rule';
import { LA_CHILDREN_EVENT_TYPES as T } from './events';
import { laChildrenFamily } from './family';

const subject = { system: 'la-person-id', value: 'LCS-448812' } as const;
const nhs = { system: 'nhs-number', value: '9434765919' } as const;
const { map, validate, rejection } = familyTestKit(laChildrenFamily, 'mk-lcs', '2025-11-21T12:00:00Z');

const contact = (outcome: string) => ({
  subject,
  contactRef: 'MK-CON-2025-3301',
  outcome,
  decidedAt: '2025-11-18T11:20:00Z',
});
const conference = (planDecided: boolean) => ({
  subject,
  conferenceRef: 'MK-CONF-7',
  heldAt: '2025-12-08T13:00:00Z',
  planDecided,
});
const plan = { ref: 'MK-CPP-2025-0031', kind: 'child-protection' } as const;
const action = {
  subject,
  planRef: 'MK-CPP-2025-0031',
  actionRef: 'MK-CPP-2025-0031-A3',
  description: 'Arrange a paediatric assessment with Dr Example',
};

interface Case {
  readonly type: string;
  readonly data: object;
  readonly kind: string;
  readonly facts: StatusFacts;
  readonly summary: string;
  readonly occurredAt: string;
}

/** Every type's mapping: kind, facts (exactly), summary and the time it is dated at. */
const CASES: Record<string, Case> = {
  'a referral closed with no further action, dated at the decision': {
    type: T.referralOutcome,
    data: {
      subject,
      referralRef: 'MK-REF-2025-0912',
      outcome: 'no-further-action',
      decidedAt: '2025-11-21T09:15:00Z',
    },
    kind: 'referral-outcome',
    facts: { referralOutcome: 'no-further-action', reference: 'MK-REF-2025-0912' },
    summary: 'Referral closed with no further action',
    occurredAt: '2025-11-21T09:15:00.000Z',
  },
  'a referral naming the referring agency type': {
    type: T.referralOutcome,
    data: {
      subject,
      referralRef: 'R-1',
      outcome: 'child-protection',
      decidedAt: '2025-11-21T09:15:00Z',
      referrerAgency: 'police',
    },
    kind: 'referral-outcome',
    facts: { referralOutcome: 'child-protection', reference: 'R-1' },
    summary: 'Referral progressed to child protection enquiries (s47) (referred by police)',
    occurredAt: '2025-11-21T09:15:00.000Z',
  },
  'a case closure with its reason': {
    type: T.caseClosed,
    data: {
      subject,
      caseRef: 'MK-CASE-77120',
      closedAt: '2025-11-21T16:00:00Z',
      closureReason: 'stepped-down-to-early-help',
    },
    kind: 'case-closed',
    facts: { closed: true, reference: 'MK-CASE-77120' },
    summary: "Children's social care case closed: stepped down to early help",
    occurredAt: '2025-11-21T16:00:00.000Z',
  },
  'a case closure without a reason': {
    type: T.caseClosed,
    data: { subject, caseRef: 'C-1', closedAt: '2025-11-21T16:00:00Z' },
    kind: 'case-closed',
    facts: { closed: true, reference: 'C-1' },
    summary: "Children's social care case closed",
    occurredAt: '2025-11-21T16:00:00.000Z',
  },
  'a contact closed with no further action, at universal services': {
    type: T.contactOutcome,
    data: contact('no-further-action'),
    kind: 'contact-outcome',
    facts: { contactOutcome: 'no-further-action', threshold: 'universal', reference: 'MK-CON-2025-3301' },
    summary: 'Contact closed with no further action',
    occurredAt: '2025-11-18T11:20:00.000Z',
  },
  'a contact closed with information and advice, at universal services': {
    type: T.contactOutcome,
    data: contact('information-and-advice'),
    kind: 'contact-outcome',
    facts: {
      contactOutcome: 'information-and-advice',
      threshold: 'universal',
      reference: 'MK-CON-2025-3301',
    },
    summary: 'Contact closed with information and advice',
    occurredAt: '2025-11-18T11:20:00.000Z',
  },
  'a contact stepped down to early help, from the agency that made it': {
    type: T.contactOutcome,
    data: { ...contact('early-help'), referrerAgency: 'education' },
    kind: 'contact-outcome',
    facts: { contactOutcome: 'early-help', threshold: 'early-help', reference: 'MK-CON-2025-3301' },
    summary: 'Contact stepped down to early help (contact from education)',
    occurredAt: '2025-11-18T11:20:00.000Z',
  },
  'a contact progressed to a referral, with no threshold of its own': {
    type: T.contactOutcome,
    data: contact('referral'),
    kind: 'contact-outcome',
    facts: { contactOutcome: 'referral', reference: 'MK-CON-2025-3301' },
    summary: "Contact progressed to a referral to children's social care",
    occurredAt: '2025-11-18T11:20:00.000Z',
  },
  'a strategy discussion that started a s47 enquiry, at child protection': {
    type: T.strategyDiscussionOutcome,
    data: { subject, discussionRef: 'MK-SD-1', heldAt: '2025-11-20T10:30:00+00:00', s47Started: true },
    kind: 'strategy-discussion',
    facts: { s47Started: true, threshold: 'child-protection', reference: 'MK-SD-1' },
    summary: 'Strategy discussion held: s47 enquiry started',
    occurredAt: '2025-11-20T10:30:00.000Z',
  },
  'a strategy discussion that started no enquiry, with no threshold': {
    type: T.strategyDiscussionOutcome,
    data: { subject, discussionRef: 'MK-SD-2', heldAt: '2025-11-20T10:30:00Z', s47Started: false },
    kind: 'strategy-discussion',
    facts: { s47Started: false, reference: 'MK-SD-2' },
    summary: 'Strategy discussion held: no s47 enquiry',
    occurredAt: '2025-11-20T10:30:00.000Z',
  },
  'an initial conference that decided a plan, at child protection': {
    type: T.initialConferenceHeld,
    data: conference(true),
    kind: 'child-protection-conference',
    facts: {
      conference: { type: 'initial', planDecided: true },
      threshold: 'child-protection',
      reference: 'MK-CONF-7',
    },
    summary: 'Initial child protection conference held: child protection plan decided',
    occurredAt: '2025-12-08T13:00:00.000Z',
  },
  'an initial conference that decided no plan': {
    type: T.initialConferenceHeld,
    data: conference(false),
    kind: 'child-protection-conference',
    facts: { conference: { type: 'initial', planDecided: false }, reference: 'MK-CONF-7' },
    summary: 'Initial child protection conference held: no child protection plan',
    occurredAt: '2025-12-08T13:00:00.000Z',
  },
  'a review conference that kept the plan': {
    type: T.reviewConferenceHeld,
    data: conference(true),
    kind: 'child-protection-conference',
    facts: {
      conference: { type: 'review', planDecided: true },
      threshold: 'child-protection',
      reference: 'MK-CONF-7',
    },
    summary: 'Review child protection conference held: plan to continue',
    occurredAt: '2025-12-08T13:00:00.000Z',
  },
  'a review conference that ended the plan': {
    type: T.reviewConferenceHeld,
    data: conference(false),
    kind: 'child-protection-conference',
    facts: { conference: { type: 'review', planDecided: false }, reference: 'MK-CONF-7' },
    summary: 'Review child protection conference held: plan to end',
    occurredAt: '2025-12-08T13:00:00.000Z',
  },
  'a core group naming its child protection plan': {
    type: T.coreGroupHeld,
    data: { subject, heldAt: '2025-12-18T15:00:00Z', planRef: 'MK-CPP-2025-0031', meetingRef: 'CG-4' },
    kind: 'core-group',
    facts: { plan: { ref: 'MK-CPP-2025-0031', kind: 'child-protection' }, reference: 'CG-4' },
    summary: 'Core group meeting held',
    occurredAt: '2025-12-18T15:00:00.000Z',
  },
  'a core group that names no plan': {
    type: T.coreGroupHeld,
    data: { subject, heldAt: '2025-12-18T15:00:00Z' },
    kind: 'core-group',
    facts: {},
    summary: 'Core group meeting held',
    occurredAt: '2025-12-18T15:00:00.000Z',
  },
  'a child protection plan started with its visit frequency, at child protection': {
    type: T.planStarted,
    data: {
      subject,
      planRef: 'MK-CPP-2025-0031',
      planKind: 'child-protection',
      startedAt: '2025-12-08T13:00:00Z',
      visitFrequencyDays: 10,
    },
    kind: 'plan-started',
    facts: {
      plan: { ref: 'MK-CPP-2025-0031', kind: 'child-protection', visitFrequencyDays: 10 },
      threshold: 'child-protection',
      reference: 'MK-CPP-2025-0031',
    },
    summary: 'Child protection plan started (visits at least every 10 days)',
    occurredAt: '2025-12-08T13:00:00.000Z',
  },
  'a child in need plan started without a visit frequency, at child in need': {
    type: T.planStarted,
    data: { subject, planRef: 'CIN-9', planKind: 'child-in-need', startedAt: '2025-12-08T13:00:00Z' },
    kind: 'plan-started',
    facts: {
      plan: { ref: 'CIN-9', kind: 'child-in-need' },
      threshold: 'child-in-need',
      reference: 'CIN-9',
    },
    summary: 'Child in need plan started',
    occurredAt: '2025-12-08T13:00:00.000Z',
  },
  'a plan ended by a step down to child in need, at child in need': {
    type: T.planEnded,
    data: {
      subject,
      planRef: 'MK-CPP-2025-0031',
      planKind: 'child-protection',
      endedAt: '2026-06-01T12:00:00Z',
      endReason: 'stepped-down-to-child-in-need',
    },
    kind: 'plan-ended',
    facts: {
      plan: { ref: 'MK-CPP-2025-0031', kind: 'child-protection' },
      threshold: 'child-in-need',
      reference: 'MK-CPP-2025-0031',
    },
    summary: 'Child protection plan ended: stepped down to child in need',
    occurredAt: '2026-06-01T12:00:00.000Z',
  },
  'a plan ended because the family moved, with no threshold': {
    type: T.planEnded,
    data: {
      subject,
      planRef: 'CIN-9',
      planKind: 'child-in-need',
      endedAt: '2026-06-01T12:00:00Z',
      endReason: 'moved-away',
    },
    kind: 'plan-ended',
    facts: { plan: { ref: 'CIN-9', kind: 'child-in-need' }, reference: 'CIN-9' },
    summary: 'Child in need plan ended: moved away',
    occurredAt: '2026-06-01T12:00:00.000Z',
  },
  'a plan action created with a due date and an owner, open': {
    type: T.planActionCreated,
    data: { ...action, dueDate: '2026-01-09', ownerAgencyType: 'health', createdAt: '2025-12-08T13:00:00Z' },
    kind: 'plan-action',
    facts: {
      planAction: {
        planRef: 'MK-CPP-2025-0031',
        ref: 'MK-CPP-2025-0031-A3',
        status: 'open',
        dueDate: '2026-01-09',
        description: 'Arrange a paediatric assessment with Dr Example',
        ownerAgencyType: 'health',
      },
      reference: 'MK-CPP-2025-0031-A3',
    },
    summary: 'Plan action added, owned by health, due by 2026-01-09',
    occurredAt: '2025-12-08T13:00:00.000Z',
  },
  'a plan action created without a due date: dueDate null': {
    type: T.planActionCreated,
    data: { ...action, createdAt: '2025-12-08T13:00:00Z' },
    kind: 'plan-action',
    facts: {
      planAction: {
        planRef: 'MK-CPP-2025-0031',
        ref: 'MK-CPP-2025-0031-A3',
        status: 'open',
        dueDate: null,
        description: 'Arrange a paediatric assessment with Dr Example',
      },
      reference: 'MK-CPP-2025-0031-A3',
    },
    summary: 'Plan action added, no due date set',
    occurredAt: '2025-12-08T13:00:00.000Z',
  },
  'a plan action updated to a new due date, still open': {
    type: T.planActionUpdated,
    data: { ...action, dueDate: '2026-01-23', updatedAt: '2026-01-07T09:00:00Z' },
    kind: 'plan-action',
    facts: {
      planAction: {
        planRef: 'MK-CPP-2025-0031',
        ref: 'MK-CPP-2025-0031-A3',
        status: 'open',
        dueDate: '2026-01-23',
        description: 'Arrange a paediatric assessment with Dr Example',
      },
      reference: 'MK-CPP-2025-0031-A3',
    },
    summary: 'Plan action updated, due by 2026-01-23',
    occurredAt: '2026-01-07T09:00:00.000Z',
  },
  'a plan action done, keeping the date it was due by': {
    type: T.planActionDone,
    data: { ...action, dueDate: '2026-01-23', ownerAgencyType: 'police', doneAt: '2026-01-20T16:30:00Z' },
    kind: 'plan-action',
    facts: {
      planAction: {
        planRef: 'MK-CPP-2025-0031',
        ref: 'MK-CPP-2025-0031-A3',
        status: 'done',
        dueDate: '2026-01-23',
        description: 'Arrange a paediatric assessment with Dr Example',
        ownerAgencyType: 'police',
      },
      reference: 'MK-CPP-2025-0031-A3',
    },
    summary: 'Plan action done, owned by police',
    occurredAt: '2026-01-20T16:30:00.000Z',
  },
  'a visit that saw the child, naming its plan': {
    type: T.visitDone,
    data: { subject, visitedAt: '2025-12-15T16:00:00Z', visitRef: 'VIS-1', plan },
    kind: 'visit',
    facts: { visit: { outcome: 'seen' }, plan, reference: 'VIS-1' },
    summary: 'Child protection plan visit: child seen',
    occurredAt: '2025-12-15T16:00:00.000Z',
  },
  'a visit under no named plan': {
    type: T.visitDone,
    data: { subject, visitedAt: '2025-12-15T16:00:00Z' },
    kind: 'visit',
    facts: { visit: { outcome: 'seen' } },
    summary: 'Visit: child seen',
    occurredAt: '2025-12-15T16:00:00.000Z',
  },
  'a no-access visit, with its reason and plan': {
    type: T.visitNoAccess,
    data: { subject, visitedAt: '2025-12-29T10:00:00Z', plan, reason: 'no-answer' },
    kind: 'visit',
    facts: { visit: { outcome: 'no-access' }, plan },
    summary: 'Child protection plan visit: no access (no answer)',
    occurredAt: '2025-12-29T10:00:00.000Z',
  },
  'a no-access visit without a reason': {
    type: T.visitNoAccess,
    data: { subject, visitedAt: '2025-12-29T10:00:00Z' },
    kind: 'visit',
    facts: { visit: { outcome: 'no-access' } },
    summary: 'Visit: no access',
    occurredAt: '2025-12-29T10:00:00.000Z',
  },
};

describe("children's social care family", () => {
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

    it('with a summary that holds no identifier, reference or free text', () => {
      expect(identifiersInSummary(map(c.type, c.data).summary, c.data)).toEqual([]);
    });
  });

  it('has a mapping case for every one of its types', () => {
    expect(new Set(Object.values(CASES).map((c) => c.type))).toEqual(new Set(Object.values(T)));
  });

  it("carries the other identifiers of the local authority's record", () => {
    const mapped = map(T.contactOutcome, { ...contact('referral'), otherIdentifiers: [nhs] });
    expect(mapped.otherIdentifiers).toEqual([nhs]);
    expect(mapped.subject).toEqual(subject);
  });

  it.each([
    [
      'a contact outcome outside the list',
      T.contactOutcome,
      contact('strategy-discussion'),
      '/data/outcome: must be one of "no-further-action", "information-and-advice", "early-help", "referral"',
    ],
    [
      'a strategy discussion without s47Started',
      T.strategyDiscussionOutcome,
      { subject, discussionRef: 'SD-1', heldAt: '2025-11-20T10:30:00Z' },
      "/data: must have required property 's47Started'",
    ],
    [
      'a conference whose planDecided is not a boolean',
      T.reviewConferenceHeld,
      { ...conference(true), planDecided: 'yes' },
      '/data/planDecided: must be boolean',
    ],
    [
      'an adult safeguarding plan, which is not a children’s plan',
      T.planStarted,
      { subject, planRef: 'P-1', planKind: 'adult-safeguarding', startedAt: '2025-12-08T13:00:00Z' },
      '/data/planKind: must be one of "child-protection", "child-in-need"',
    ],
    [
      'a visit frequency of zero days',
      T.planStarted,
      {
        subject,
        planRef: 'P-1',
        planKind: 'child-protection',
        startedAt: '2025-12-08T13:00:00Z',
        visitFrequencyDays: 0,
      },
      '/data/visitFrequencyDays: must be >= 1',
    ],
    [
      'a due date with a time',
      T.planActionCreated,
      { ...action, dueDate: '2026-01-09T17:00:00Z', createdAt: '2025-12-08T13:00:00Z' },
      '/data/dueDate: must match format "date"',
    ],
    [
      'a due date that is no calendar date',
      T.planActionUpdated,
      { ...action, dueDate: '2026-02-30', updatedAt: '2025-12-08T13:00:00Z' },
      '/data/dueDate: must match format "date"',
    ],
    [
      'a plan action without its description',
      T.planActionDone,
      { subject, planRef: 'P-1', actionRef: 'A-1', doneAt: '2025-12-08T13:00:00Z' },
      "/data: must have required property 'description'",
    ],
    [
      'a visit naming a plan without its kind',
      T.visitDone,
      { subject, visitedAt: '2025-12-15T16:00:00Z', plan: { ref: 'P-1' } },
      "/data/plan: must have required property 'kind'",
    ],
    [
      'a no-access reason outside the list',
      T.visitNoAccess,
      { subject, visitedAt: '2025-12-15T16:00:00Z', reason: 'away' },
      '/data/reason: must be one of "no-answer", "access-refused", "child-not-seen"',
    ],
    [
      'a subject known by an NHS number',
      T.coreGroupHeld,
      { subject: nhs, heldAt: '2025-12-18T15:00:00Z' },
      '/data/subject/system: must be one of "la-person-id"',
    ],
    [
      'another identifier whose NHS number has a wrong check digit',
      T.caseClosed,
      {
        subject,
        caseRef: 'C-1',
        closedAt: '2025-11-21T16:00:00Z',
        otherIdentifiers: [{ system: 'nhs-number', value: '9434765918' }],
      },
      '/data/otherIdentifiers/0/value: must match format "nhs-number"',
    ],
  ])('rejects %s as EVENT_DATA_INVALID, naming the field', (_name, type, data, reason) => {
    expect(rejection(type, data)).toEqual({ code: 'EVENT_DATA_INVALID', reason });
  });
});
