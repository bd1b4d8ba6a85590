import type { CaseEventMessage } from '@mash/schema';
import { parseCaseEvent } from './case-event';

const PARTNERSHIP = '7d1f0c4e-0000-4000-8000-000000000001';
const POLICE = '7d1f0c4e-0000-4000-8000-0000000000a1';

const valid: CaseEventMessage = {
  statusChange: {
    id: 'sc-1',
    eventId: 'event-sc-1',
    source: 'urn:mash:source:test',
    type: 'uk.mash.police.protection-notice.v1',
    family: 'police',
    partnershipId: PARTNERSHIP,
    agencyId: POLICE,
    sourceSystemId: 'source-system',
    subject: { system: 'police-person-id', value: 'P-1' },
    kind: 'protection-notice',
    facts: { threshold: 'child-protection' },
    summary: 'A status change.',
    occurredAt: '2026-06-01T09:00:00.000Z',
    receivedAt: '2026-06-01T09:00:00.000Z',
  },
  case: {
    id: 'case-1',
    partnershipId: PARTNERSHIP,
    subjectId: 'subject-1',
    status: 'open',
    involvements: [{ agencyId: POLICE, open: true }],
    positions: [
      {
        agencyId: POLICE,
        threshold: 'child-protection',
        thresholdStatusChangeId: 'sc-1',
        riskLevel: null,
        riskStatusChangeId: null,
        referralOutcome: null,
        referralStatusChangeId: null,
        asOf: '2026-06-01T09:00:00.000Z',
      },
    ],
  },
};
const failure = (value: Buffer | null): unknown => {
  try {
    parseCaseEvent(value);
  } catch (err) {
    return { code: (err as { code?: unknown }).code, reason: (err as Error).message };
  }
  return undefined;
};
const withCase = (c: Record<string, unknown>) =>
  Buffer.from(JSON.stringify({ ...valid, case: { ...valid.case, ...c } }));

describe('reading a case event', () => {
  it('accepts a well-formed event, as it came', () => {
    expect(parseCaseEvent(Buffer.from(JSON.stringify(valid)))).toEqual(valid);
  });

  it('sets aside a value that is not JSON as EVENT_NOT_JSON', () => {
    expect(failure(Buffer.from('{nope'))).toMatchObject({ code: 'EVENT_NOT_JSON' });
    expect(failure(null)).toEqual({ code: 'EVENT_NOT_JSON', reason: 'the record has no value' });
  });

  it.each([
    ['without a case', Buffer.from(JSON.stringify({ statusChange: valid.statusChange })), 'case is required'],
    [
      'whose position has no valid date',
      withCase({ positions: [{ ...valid.case.positions[0], asOf: 'yesterday' }] }),
      'case.positions[0].asOf must be an RFC 3339 timestamp that exists in the calendar',
    ],
    [
      'whose position is dated a day that does not exist',
      withCase({ positions: [{ ...valid.case.positions[0], asOf: '2026-02-30T10:00:00Z' }] }),
      'case.positions[0].asOf must be an RFC 3339 timestamp that exists in the calendar',
    ],
    [
      'whose position holds a threshold the rules do not know',
      withCase({ positions: [{ ...valid.case.positions[0], threshold: 'very-high' }] }),
      'case.positions[0].threshold must be one of none, universal, early-help, child-in-need, child-protection',
    ],
    [
      'whose involvements are not a list',
      withCase({ involvements: {} }),
      'case.involvements must be an array',
    ],
    [
      'whose partnership is not a UUID',
      withCase({ partnershipId: 'p-1' }),
      'case.partnershipId must be a UUID',
    ],
    [
      'whose signal is of an unknown family',
      withCase({
        signals: [
          {
            statusChangeId: 'sc-1',
            agencyId: POLICE,
            family: 'probation',
            kind: 'missing-episode',
            occurredAt: '2026-06-01T09:00:00.000Z',
            facts: {},
          },
        ],
      }),
      'case.signals[0].family must be one of police, health, la-children, la-adults, education',
    ],
    [
      'whose plan action is due on a day that does not exist',
      withCase({
        plans: [
          {
            ref: 'CP-1',
            agencyId: POLICE,
            kind: 'child-protection',
            startedAt: '2026-06-01T09:00:00.000Z',
            startedStatusChangeId: 'sc-1',
            endedAt: null,
            visitFrequencyDays: null,
            lastSeenVisitAt: null,
            lastSeenVisitStatusChangeId: null,
            actions: [
              { ref: 'A-1', description: '', status: 'open', dueDate: '2026-02-29', statusChangeId: 'sc-1' },
            ],
          },
        ],
      }),
      'case.plans[0].actions[0].dueDate must be a calendar date (YYYY-MM-DD) that exists',
    ],
  ])('sets aside an event %s as EVENT_DATA_INVALID, naming the path', (_, value, problem) => {
    expect(failure(value)).toEqual({ code: 'EVENT_DATA_INVALID', reason: `not a case event: ${problem}` });
  });

  it('reads an event from a newer producer, keeping the fields it does not know', () => {
    const newer = { ...valid, case: { ...valid.case, riskSummary: { level: 2 } }, traceId: 't-1' };
    expect(parseCaseEvent(Buffer.from(JSON.stringify(newer)))).toEqual(newer);
  });
});
