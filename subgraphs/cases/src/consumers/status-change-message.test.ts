import { STATUS_CHANGE_KINDS } from '@mash/schema';
import { parseStatusChangeMessage } from './status-change-message';

const valid = {
  id: '6f1c1d2e-3a4b-5c6d-8e7f-001122334455',
  eventId: 'evt-1',
  source: 'urn:mash:source:tvp-niche',
  type: 'uk.mash.police.protection-notice.v1',
  family: 'police',
  partnershipId: '0b9f8a1e-2c1d-4f7a-9f51-1a2b3c4d5e01',
  agencyId: '0b9f8a1e-2c1d-4f7a-9f51-1a2b3c4d5e11',
  sourceSystemId: '0b9f8a1e-2c1d-4f7a-9f51-1a2b3c4d5e21',
  subject: { system: 'police-person-id', value: 'NICHE-7730142' },
  kind: 'protection-notice',
  facts: { threshold: 'child-protection', riskLevel: 'high' },
  summary: 'Protection notice submitted (red)',
  occurredAt: '2026-03-01T10:00:00Z',
  receivedAt: '2026-03-01T10:00:05.123+00:00',
};

describe('parseStatusChangeMessage', () => {
  it('accepts a well-formed status change', () => {
    const parsed = parseStatusChangeMessage(Buffer.from(JSON.stringify(valid)));
    expect(parsed).toEqual({ ok: true, message: valid });
  });

  it('rejects a value that is not JSON as EVENT_NOT_JSON', () => {
    expect(parseStatusChangeMessage(Buffer.from('{not json'))).toMatchObject({
      ok: false,
      code: 'EVENT_NOT_JSON',
    });
    expect(parseStatusChangeMessage(null)).toMatchObject({ ok: false, code: 'EVENT_NOT_JSON' });
  });

  it('keeps a malformed value out of the reason, which is logged and dead-lettered', () => {
    const parsed = parseStatusChangeMessage(
      Buffer.from('{"subject": {"system": "nhs-number", "value": "9434765919"}, "summary": Jane Smith}'),
    );
    expect(parsed).toMatchObject({ ok: false, code: 'EVENT_NOT_JSON' });
    if (parsed.ok) return;
    expect(parsed.reason).toMatch(/^not JSON: Unexpected token/);
    expect(parsed.reason).not.toContain('Jane');
    expect(parsed.reason).not.toContain('Smith');
    expect(parsed.reason).not.toContain('9434765919');
  });

  it('rejects JSON that is not a status change, naming every problem', () => {
    const parsed = parseStatusChangeMessage(
      JSON.stringify({ ...valid, id: 'not-a-uuid', subject: { system: 'shoe-size', value: '' } }),
    );
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.code).toBe('EVENT_DATA_INVALID');
    expect(parsed.reason).toBe(
      'not a status change: id must be a UUID; subject.system must be one of nhs-number, la-person-id, police-person-id, upn; subject.value must be a non-empty string',
    );
  });

  it.each([
    [
      'facts the position cannot hold',
      { facts: { threshold: 'very-high' } },
      'facts.threshold must be one of none, universal, early-help, child-in-need, child-protection',
    ],
    [
      'a timestamp that is not RFC 3339',
      { occurredAt: 'yesterday' },
      'occurredAt must be an RFC 3339 timestamp that exists in the calendar',
    ],
    [
      'a day that does not exist, which Date.parse accepts',
      { occurredAt: '2026-02-30T10:00:00Z' },
      'occurredAt must be an RFC 3339 timestamp that exists in the calendar',
    ],
    [
      'a timestamp without a zone',
      { receivedAt: '2026-03-01T10:00:00' },
      'receivedAt must be an RFC 3339 timestamp that exists in the calendar',
    ],
    ['text the database cannot store', { eventId: 'a\u0000b' }, 'eventId must not contain NUL characters'],
    [
      'a kind this version does not know',
      { kind: 'horoscope' },
      'kind must be one of ' + STATUS_CHANGE_KINDS.join(', '),
    ],
    ['a missing family', { family: undefined }, 'family is required'],
    ['a missing subject', { subject: undefined }, 'subject is required'],
    ['a summary that is not text', { summary: 42 }, 'summary must be a string'],
  ])('rejects %s as EVENT_DATA_INVALID, naming the path and the rule', (_, change, problem) => {
    expect(parseStatusChangeMessage(JSON.stringify({ ...valid, ...change }))).toEqual({
      ok: false,
      code: 'EVENT_DATA_INVALID',
      reason: `not a status change: ${problem}`,
    });
  });

  it('never quotes a value in the reason', () => {
    const parsed = parseStatusChangeMessage(
      JSON.stringify({ ...valid, subject: { system: 'Jane Smith', value: 9434765919 } }),
    );
    expect(parsed).toMatchObject({ ok: false, code: 'EVENT_DATA_INVALID' });
    if (parsed.ok) return;
    expect(parsed.reason).not.toContain('Jane');
    expect(parsed.reason).not.toContain('9434765919');
  });

  it('keeps fields this version does not know, for forward compatibility', () => {
    const newer = { ...valid, priority: 'urgent', facts: { ...valid.facts, newFact: { x: 1 } } };
    expect(parseStatusChangeMessage(JSON.stringify(newer))).toEqual({ ok: true, message: newer });
  });

  it('rejects a JSON value that is not an object', () => {
    expect(parseStatusChangeMessage('[1,2]')).toEqual({
      ok: false,
      code: 'EVENT_DATA_INVALID',
      reason: 'not a status change: the value must be an object',
    });
  });
});

describe('parseStatusChangeMessage: the facts kept in records of their own, and other identifiers', () => {
  const withFacts = (facts: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
    parseStatusChangeMessage(JSON.stringify({ ...valid, facts, ...extra }));

  it.each([
    ['a strategy discussion', { s47Started: true }],
    ['a conference', { conference: { type: 'initial', planDecided: true } }],
    ['a plan', { plan: { ref: 'CP-1', kind: 'child-protection', visitFrequencyDays: 10 } }],
    [
      'a plan action',
      {
        planAction: {
          planRef: 'CP-1',
          ref: 'A-1',
          status: 'open',
          dueDate: '2026-02-28',
          description: 'Home conditions assessment',
          ownerAgencyType: 'la-children',
        },
      },
    ],
    [
      'a plan action with no due date',
      { planAction: { planRef: 'CP-1', ref: 'A-1', status: 'done', dueDate: null, description: '' } },
    ],
    ['a visit', { visit: { outcome: 'no-access' } }],
  ])('accepts %s', (_, facts) => {
    expect(withFacts(facts)).toEqual({ ok: true, message: { ...valid, facts } });
  });

  it.each([
    [{ s47Started: 'yes' }, 'facts.s47Started must be a boolean'],
    [
      { conference: { type: 'final', planDecided: true } },
      'facts.conference.type must be one of initial, review',
    ],
    [{ plan: { kind: 'child-protection' } }, 'facts.plan.ref is required'],
    [{ plan: { ref: '', kind: 'child-protection' } }, 'facts.plan.ref must be a non-empty string'],
    [{ dashScore: 28 }, 'facts.dashScore must be at most 27'],
    [
      { attendance: { percentage: 80, periodStart: '2026-09-01', periodEnd: '2026-13-01' } },
      'facts.attendance.periodEnd must be a calendar date (YYYY-MM-DD) that exists',
    ],
    [
      { plan: { ref: 'CP-1', kind: 'child-protection', visitFrequencyDays: 0 } },
      'facts.plan.visitFrequencyDays must be greater than 0',
    ],
    [
      {
        planAction: { planRef: 'CP-1', ref: 'A-1', status: 'open', dueDate: '2026-02-30', description: 'x' },
      },
      'facts.planAction.dueDate must be a calendar date (YYYY-MM-DD) that exists',
    ],
    [{ visit: 'seen' }, 'facts.visit must be an object'],
  ])('rejects facts %j as EVENT_DATA_INVALID', (facts, problem) => {
    expect(withFacts(facts)).toEqual({
      ok: false,
      code: 'EVENT_DATA_INVALID',
      reason: `not a status change: ${problem}`,
    });
  });

  it('accepts other identifiers and rejects malformed ones, naming the position', () => {
    const otherIdentifiers = [{ system: 'nhs-number', value: '9434765919' }];
    expect(withFacts({}, { otherIdentifiers })).toEqual({
      ok: true,
      message: { ...valid, facts: {}, otherIdentifiers },
    });
    expect(
      withFacts({}, { otherIdentifiers: [otherIdentifiers[0], { system: 'shoe-size', value: '9' }] }),
    ).toEqual({
      ok: false,
      code: 'EVENT_DATA_INVALID',
      reason:
        'not a status change: otherIdentifiers[1].system must be one of nhs-number, la-person-id, police-person-id, upn',
    });
    expect(withFacts({}, { otherIdentifiers: 'nhs' })).toMatchObject({
      reason: 'not a status change: otherIdentifiers must be an array',
    });
    expect(
      withFacts({}, { otherIdentifiers: Array.from({ length: 11 }, () => otherIdentifiers[0]) }),
    ).toMatchObject({ reason: 'not a status change: otherIdentifiers must hold at most 10 items' });
  });
});
