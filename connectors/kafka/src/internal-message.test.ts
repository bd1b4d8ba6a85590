import {
  checkMessage,
  INTERNAL_MESSAGE_SCHEMAS,
  messageJsonSchema,
  type EscalationEventMessage,
  type NotificationMessage,
} from '@mash/schema';
import { inParts, internalMessageOrThrow, passesFastCheck, readInternalMessage } from './internal-message';

const ESCALATION = '5a1e0000-0000-4000-8000-000000000001';
const PARTNERSHIP = '0b9f8a1e-2c1d-4f7a-9f51-1a2b3c4d5e01';
const INSTANT_RULE = 'must be an RFC 3339 timestamp that exists in the calendar';

const event: EscalationEventMessage = {
  id: 'event-raised-1',
  type: 'raised',
  escalationId: ESCALATION,
  caseId: 'case-1',
  partnershipId: PARTNERSHIP,
  stage: 1,
  status: 'AWAITING_ACKNOWLEDGEMENT',
  at: '2026-06-01T09:00:00.000Z',
  rationale: 'Threshold judgements differ by two steps',
  ground: 'threshold-disagreement',
  raisingAgencyId: '0b9f8a1e-2c1d-4f7a-9f51-1a2b3c4d5e11',
  receivingAgencyId: '0b9f8a1e-2c1d-4f7a-9f51-1a2b3c4d5e12',
  immediateRisk: false,
  autoRaised: true,
  raisedBy: null,
  actor: 'system',
  stageOwnerRoles: ['practitioner'],
};

const notification: NotificationMessage = {
  id: '3f1c2b9a-6d2e-5c4f-9a1b-7e8d9c0a1b2c',
  recipientId: '0b9f8a1e-2c1d-4f7a-9f51-1a2b3c4d5e43',
  partnershipId: PARTNERSHIP,
  escalationId: ESCALATION,
  eventId: 'event-raised-1',
  eventType: 'stage-advanced',
  reason: 'stage-owner',
  stage: 2,
  message: 'The escalation moved to stage 2.',
  immediateRisk: false,
  at: '2026-11-27T10:30:00.000Z',
};

const json = (value: unknown) => Buffer.from(JSON.stringify(value));

describe('reading an escalation event', () => {
  it.each([
    ['a full event', event],
    [
      'an event from before the parties were carried',
      { ...event, ground: undefined, stageOwnerRoles: undefined },
    ],
    ['an event of a type this version does not know (it tells nobody)', { ...event, type: 'reopened' }],
    ['an event with a field this version does not know', { ...event, priority: 'high' }],
    ['a stage moved by the clock', { ...event, type: 'stage-advanced', cause: 'deadline' }],
  ])('accepts %s, as it came', (_, value) => {
    expect(readInternalMessage('escalation event', json(value))).toEqual({
      ok: true,
      message: JSON.parse(JSON.stringify(value)),
    });
  });

  it.each([
    ['an escalation id that is not a UUID', { escalationId: 'esc-1' }, 'escalationId must be a UUID'],
    ['a missing partnership', { partnershipId: undefined }, 'partnershipId is required'],
    ['a stage that is not a whole number', { stage: 1.5 }, 'stage must be an integer'],
    ['a stage of 0', { stage: 0 }, 'stage must be at least 1'],
    ['a day that does not exist', { at: '2026-02-30T10:00:00Z' }, `at ${INSTANT_RULE}`],
    ['a type that is not a name', { type: 'Raised!' }, 'type must be a kebab-case name'],
    [
      'roles that are not text',
      { stageOwnerRoles: ['practitioner', 7] },
      'stageOwnerRoles[1] must be a string',
    ],
    ['an unknown cause', { cause: 'whim' }, 'cause must be one of person, deadline'],
    ['raisedBy that is not text', { raisedBy: 12 }, 'raisedBy must be a string'],
    [
      'several problems',
      { id: '', stage: 'one', immediateRisk: 'no' },
      'id must be a non-empty string; stage must be a number; immediateRisk must be a boolean',
    ],
  ])('refuses %s as EVENT_DATA_INVALID, naming the path and the rule', (_, change, problem) => {
    expect(readInternalMessage('escalation event', json({ ...event, ...change }))).toEqual({
      ok: false,
      code: 'EVENT_DATA_INVALID',
      reason: `not an escalation event: ${problem}`,
    });
  });

  it('names five problems and counts the rest', () => {
    const read = readInternalMessage('escalation event', json({}));
    expect(read).toEqual({
      ok: false,
      code: 'EVENT_DATA_INVALID',
      reason:
        'not an escalation event: id is required; type is required; escalationId is required; caseId is required; partnershipId is required; and 4 more',
    });
  });

  it('throws the NonRetriableError a consumer dead-letters', () => {
    expect(() => internalMessageOrThrow('escalation event', Buffer.from('not an escalation event'))).toThrow(
      expect.objectContaining({ code: 'EVENT_NOT_JSON', retriable: false }),
    );
  });
});

describe('reading a notification', () => {
  it('accepts a notification, and one with a field this version does not know', () => {
    expect(readInternalMessage('notification', json(notification))).toEqual({
      ok: true,
      message: notification,
    });
    const newer = { ...notification, channel: 'sms' };
    expect(readInternalMessage('notification', json(newer))).toEqual({ ok: true, message: newer });
  });

  it.each([
    [
      'a recipient that is not a UUID',
      { recipientId: 'contact:police-officer' },
      'recipientId must be a UUID',
    ],
    [
      'an unknown reason',
      { reason: 'curiosity' },
      'reason must be one of raiser, stage-owner, immediate-risk, partnership-chair',
    ],
    [
      'an unknown event type',
      { eventType: 'reopened' },
      'eventType must be one of raised, evidence-added, acknowledged, meeting-recorded, stage-advanced, stage-lapsed, panel-convened, panel-decided, resolved, redirected, learning-recorded',
    ],
    ['an empty message', { message: '' }, 'message must be a non-empty string'],
    ['a time without a zone', { at: '2026-11-27T10:30:00' }, `at ${INSTANT_RULE}`],
    ['a missing immediateRisk', { immediateRisk: undefined }, 'immediateRisk is required'],
  ])('refuses %s, naming the path and the rule', (_, change, problem) => {
    expect(readInternalMessage('notification', json({ ...notification, ...change }))).toEqual({
      ok: false,
      code: 'EVENT_DATA_INVALID',
      reason: `not a notification: ${problem}`,
    });
  });
});

describe('the fast path and the schema agree', () => {
  const PARTNERSHIP_UUID = PARTNERSHIP;
  const AGENCY = '0b9f8a1e-2c1d-4f7a-9f51-1a2b3c4d5e11';
  const position = {
    agencyId: AGENCY,
    threshold: null,
    thresholdStatusChangeId: null,
    riskLevel: 'high',
    riskStatusChangeId: 'sc-1',
    referralOutcome: null,
    referralStatusChangeId: null,
    thresholdSince: null,
    asOf: '2026-06-01T09:00:00.000Z',
  };
  const caseEvent = {
    statusChange: {
      id: 'sc-1',
      eventId: 'e-1',
      source: 'urn:mash:source:test',
      type: 'uk.mash.police.dash-assessment.v1',
      family: 'police',
      partnershipId: PARTNERSHIP_UUID,
      agencyId: AGENCY,
      sourceSystemId: 'source-system',
      subject: { system: 'police-person-id', value: 'P-1' },
      kind: 'risk-assessment',
      facts: { riskLevel: 'high', dashScore: 15 },
      summary: '',
      occurredAt: '2026-06-01T09:00:00Z',
      receivedAt: '2026-06-01T09:00:00Z',
    },
    case: {
      id: 'case-1',
      partnershipId: PARTNERSHIP_UUID,
      subjectId: 'subject-1',
      status: 'open',
      involvements: [],
      positions: [position],
      childProtection: null,
      plans: [],
      signals: [],
    },
  };
  const withPosition = (p: Record<string, unknown>) => ({
    ...caseEvent,
    case: { ...caseEvent.case, positions: [{ ...position, ...p }] },
  });

  const signal = {
    statusChangeId: 'sc-1',
    agencyId: AGENCY,
    family: 'police',
    kind: 'risk-assessment',
    occurredAt: '2026-06-01T09:00:00.000Z',
    facts: { riskLevel: 'high', dashScore: 15 },
  };
  const withSignal = (s: Record<string, unknown>) => ({
    ...caseEvent,
    case: { ...caseEvent.case, signals: [signal, { ...signal, ...s }] },
  });
  const action = {
    ref: 'A-1',
    description: 'Weekly visit',
    status: 'open',
    dueDate: null,
    statusChangeId: 'sc-2',
  };
  const withPlan = (a: Record<string, unknown>) => ({
    ...caseEvent,
    case: {
      ...caseEvent.case,
      plans: [
        {
          ref: 'P-1',
          agencyId: AGENCY,
          kind: 'child-protection',
          startedAt: '2026-05-01T09:00:00.000Z',
          startedStatusChangeId: 'sc-0',
          endedAt: null,
          visitFrequencyDays: 10,
          lastSeenVisitAt: null,
          lastSeenVisitStatusChangeId: null,
          actions: [action, { ...action, ...a }],
        },
      ],
    },
  });

  it.each([
    ['a case event with nulls where the snapshot allows them', 'case event', caseEvent],
    ['a null threshold', 'case event', withPosition({ threshold: null })],
    ['a threshold outside the ladder', 'case event', withPosition({ threshold: 'very-high' })],
    ['a null asOf', 'case event', withPosition({ asOf: null })],
    ['a null agency', 'case event', withPosition({ agencyId: null })],
    ['an empty status change id', 'case event', withPosition({ riskStatusChangeId: '' })],
    ['a since that does not exist', 'case event', withPosition({ thresholdSince: '2026-04-31T00:00:00Z' })],
    ['a leap day', 'case event', withPosition({ thresholdSince: '2024-02-29T00:00:00Z' })],
    [
      'a process that is not an object',
      'case event',
      { ...caseEvent, case: { ...caseEvent.case, childProtection: 'x' } },
    ],
    ['a field no version knows', 'case event', { ...caseEvent, extra: { a: null } }],
    ['a signal', 'case event', withSignal({})],
    [
      'a signal at a time that does not exist',
      'case event',
      withSignal({ occurredAt: '2026-02-30T10:00:00Z' }),
    ],
    ['a signal of no known kind', 'case event', withSignal({ kind: 'rumour' })],
    ['a signal without facts', 'case event', withSignal({ facts: undefined })],
    ['a plan with an action', 'case event', withPlan({})],
    ['a plan action of no known status', 'case event', withPlan({ status: 'pending' })],
    ['a plan action without a reference', 'case event', withPlan({ ref: undefined })],
    ['an escalation event', 'escalation event', event],
    ['raisedBy null', 'escalation event', { ...event, raisedBy: null }],
    ['a leap-day escalation event', 'escalation event', { ...event, at: '2024-02-29T23:59:59+01:00' }],
    ['a day that does not exist', 'escalation event', { ...event, at: '2025-02-29T10:00:00Z' }],
    ['a NUL in the status', 'escalation event', { ...event, status: 'A\u0000B' }],
    ['a notification', 'notification', notification],
    ['a notification with a null stage', 'notification', { ...notification, stage: null }],
  ] as const)('%s: one verdict', (_, kind, value) => {
    const schema = INTERNAL_MESSAGE_SCHEMAS[kind];
    expect(passesFastCheck(kind, value)).toBe(checkMessage(schema, value).ok);
  });

  it('accepts the full snapshots above (signals, plans and their actions), each checked by a part of its own', () => {
    for (const value of [caseEvent, withSignal({}), withPlan({})]) {
      expect(passesFastCheck('case event', value)).toBe(true);
    }
    const whole = messageJsonSchema(INTERNAL_MESSAGE_SCHEMAS['case event'], 'input');
    const parts = inParts(whole);
    expect(Object.keys(parts['definitions'] as object).length).toBeGreaterThan(3);
    expect(JSON.stringify(parts).length).toBeLessThan(JSON.stringify(whole).length + 1_000);
  });
});
