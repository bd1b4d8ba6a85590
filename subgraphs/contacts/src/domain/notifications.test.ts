import type { EscalationEventMessage, NotificationReason, Role } from '@mash/schema';
import type { ContactRecord } from './contact';
import { notificationWords } from './notification-words';
import { raisersAtRaise, recipientsOf } from './notifications';

const MK = 'partnership-mk';
const OTHER = 'partnership-other';
const POLICE = 'agency-police';
const LA = 'agency-la';
const HEALTH = 'agency-health';
const UNIT = 'agency-business-unit';

function contact(
  id: string,
  role: Role,
  agencyId: string,
  extra: Partial<ContactRecord> = {},
): ContactRecord {
  return {
    id,
    partnershipId: MK,
    agencyId,
    name: id,
    role,
    team: null,
    phone: null,
    email: null,
    managerId: null,
    onDutyCover: false,
    ...extra,
  };
}

// Names sort in the order the routing gives within a reason: by name (duty cover first among owners).
const directory: ContactRecord[] = [
  contact('police-practitioner', 'practitioner', POLICE),
  contact('la-practitioner', 'practitioner', LA),
  contact('la-duty', 'practitioner', LA, { onDutyCover: true }),
  contact('health-practitioner', 'practitioner', HEALTH),
  contact('police-manager', 'line-manager', POLICE),
  contact('la-manager', 'line-manager', LA),
  contact('police-dsl', 'designated-safeguarding-lead', POLICE),
  contact('health-dsl', 'designated-safeguarding-lead', HEALTH),
  contact('police-hos', 'head-of-service', POLICE),
  contact('la-hos', 'head-of-service', LA),
  contact('mash', 'mash-officer', LA),
  contact('chair', 'partnership-chair', UNIT),
  contact('other-chair', 'partnership-chair', 'agency-elsewhere', { partnershipId: OTHER }),
  contact('other-practitioner', 'practitioner', POLICE, { partnershipId: OTHER }),
  contact('other-mash', 'mash-officer', LA, { partnershipId: OTHER }),
];

const STAGE_ROLES: Record<number, string[]> = {
  1: ['practitioner'],
  2: ['line-manager', 'designated-safeguarding-lead'],
  3: ['head-of-service'],
  4: ['partnership-chair'],
};

function event(overrides: Partial<EscalationEventMessage> = {}): EscalationEventMessage {
  const stage = overrides.stage ?? 1;
  return {
    id: 'event-1',
    type: 'raised',
    escalationId: 'escalation-1',
    caseId: 'case-1',
    partnershipId: MK,
    stage,
    status: 'AWAITING_ACKNOWLEDGEMENT',
    at: '2026-06-01T09:00:00.000Z',
    rationale: 'free text that may name the child',
    ground: 'threshold-disagreement',
    raisingAgencyId: POLICE,
    receivingAgencyId: LA,
    immediateRisk: false,
    autoRaised: false,
    raisedBy: 'police-practitioner',
    actor: 'police-practitioner',
    stageOwnerRoles: STAGE_ROLES[stage],
    ...overrides,
  };
}

const told = (e: EscalationEventMessage, raisers: string[] = []) =>
  recipientsOf(e, directory, raisers).map((r) => [r.contact.id, r.reason] as [string, NotificationReason]);

describe('recipientsOf: who is told about an escalation change', () => {
  it.each<[string, EscalationEventMessage, string[], [string, NotificationReason][]]>([
    [
      'a person raises at stage 1: the stage-1 owners of both agencies, not the raiser who made the change',
      event(),
      [],
      [
        ['la-duty', 'stage-owner'],
        ['la-practitioner', 'stage-owner'],
      ],
    ],
    [
      'an automatic raise: the raising agency’s stage-1 owners (as raisers, and as owners) and the receiving agency’s',
      event({ autoRaised: true, raisedBy: null, actor: 'system' }),
      [],
      [
        ['la-duty', 'stage-owner'],
        ['la-practitioner', 'stage-owner'],
        ['police-practitioner', 'stage-owner'],
      ],
    ],
    [
      'acknowledged by the receiving agency: the raiser and the other stage-1 owners',
      event({ type: 'acknowledged', actor: 'la-practitioner', status: 'IN_DISCUSSION' }),
      [],
      [
        ['la-duty', 'stage-owner'],
        ['police-practitioner', 'stage-owner'],
      ],
    ],
    [
      'moved to stage 2 by the clock: line managers and DSLs of both agencies, and the raiser',
      event({ type: 'stage-advanced', stage: 2, actor: 'system', cause: 'deadline' }),
      [],
      [
        ['la-manager', 'stage-owner'],
        ['police-dsl', 'stage-owner'],
        ['police-manager', 'stage-owner'],
        ['police-practitioner', 'raiser'],
      ],
    ],
    [
      'an automatic raise moved to stage 3 by the clock: the heads of service and the raisers recorded at the raise',
      event({
        type: 'stage-advanced',
        stage: 3,
        autoRaised: true,
        raisedBy: null,
        actor: 'system',
        cause: 'deadline',
      }),
      ['police-practitioner', 'someone-who-left'],
      [
        ['la-hos', 'stage-owner'],
        ['police-hos', 'stage-owner'],
        ['police-practitioner', 'raiser'],
      ],
    ],
    [
      'stage 4: the partnership’s chair (a partnership-level role), not another partnership’s',
      event({ type: 'stage-advanced', stage: 4, actor: 'system', cause: 'deadline' }),
      [],
      [
        ['chair', 'stage-owner'],
        ['police-practitioner', 'raiser'],
      ],
    ],
    [
      'the last stage lapsed: the chair, told as chair (the stronger reason), and the raiser',
      event({ type: 'stage-lapsed', stage: 4, actor: 'system' }),
      [],
      [
        ['chair', 'partnership-chair'],
        ['police-practitioner', 'raiser'],
      ],
    ],
    [
      'immediate risk raised at stage 2: owners, then the partnership’s MASH officers and both agencies’ DSLs at once',
      event({ stage: 2, immediateRisk: true, actor: 'police-practitioner' }),
      [],
      [
        ['mash', 'immediate-risk'],
        ['police-dsl', 'immediate-risk'],
        ['la-manager', 'stage-owner'],
        ['police-manager', 'stage-owner'],
      ],
    ],
    [
      'resolved by the chair at stage 4: the raiser; the chair made the change',
      event({ type: 'resolved', stage: 4, actor: 'chair', status: 'RESOLVED' }),
      [],
      [['police-practitioner', 'raiser']],
    ],
    ['new evidence is not a transition: nobody', event({ type: 'evidence-added', actor: 'system' }), [], []],
    [
      'an event from a producer that sent no parties: nobody',
      event({ raisingAgencyId: undefined, receivingAgencyId: undefined, stageOwnerRoles: undefined }),
      [],
      [],
    ],
    [
      'a raiser who is not in the partnership’s directory is not told',
      event({ type: 'resolved', raisedBy: 'other-practitioner', actor: 'la-practitioner' }),
      [],
      [
        ['la-duty', 'stage-owner'],
        ['police-practitioner', 'stage-owner'],
      ],
    ],
  ])('%s', (_name, e, raisers, expected) => {
    expect(told(e, raisers)).toEqual(expected);
  });

  it('tells each person once per event', () => {
    const everyone = recipientsOf(
      event({ type: 'stage-lapsed', stage: 4, immediateRisk: true, actor: 'system' }),
      directory,
      ['chair', 'mash'],
    );
    const ids = everyone.map((r) => r.contact.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(everyone.find((r) => r.contact.id === 'mash')?.reason).toBe('immediate-risk');
  });
});

describe('raisersAtRaise', () => {
  it.each<[string, EscalationEventMessage, string[]]>([
    ['the person who raised it', event(), ['police-practitioner']],
    [
      'the raising agency’s stage-1 owners for an automatic raise, duty cover first',
      event({ autoRaised: true, raisedBy: null, raisingAgencyId: LA, receivingAgencyId: POLICE }),
      ['la-duty', 'la-practitioner'],
    ],
    ['nobody for a person the directory does not hold', event({ raisedBy: 'stranger' }), []],
    ['nobody when a person raised it and the event does not say who', event({ raisedBy: undefined }), []],
  ])('%s', (_name, e, expected) => {
    expect(raisersAtRaise(e, directory).map((c) => c.id)).toEqual(expected);
  });
});

describe('notificationWords', () => {
  it.each<[string, Parameters<typeof notificationWords>[0], NotificationReason, string]>([
    [
      'an automatic raise to a stage owner',
      { type: 'raised', ground: 'threshold-disagreement', stage: 1, autoRaised: true },
      'stage-owner',
      'A threshold disagreement escalation was raised automatically at stage 1. You own this stage: the receiving agency acknowledges it, then talk to your counterpart in the other agency and record what is agreed.',
    ],
    [
      'a clock lapse to the raiser',
      { type: 'stage-advanced', ground: 'stalled-plan', stage: 2, cause: 'deadline' },
      'raiser',
      "The stalled plan escalation moved to stage 2 because the previous stage's deadline passed unresolved. You will be told of every decision recorded at this stage.",
    ],
    [
      'a lapsed last stage to the chair',
      { type: 'stage-lapsed', ground: 'disengagement', stage: 4 },
      'partnership-chair',
      'The disengagement escalation passed the deadline of its last stage (stage 4) unresolved. It is flagged to you as partnership chair: decide whether to convene a resolution panel.',
    ],
    [
      'immediate risk to a MASH officer',
      { type: 'raised', ground: 'increasing-risk', stage: 2, immediateRisk: true },
      'immediate-risk',
      'Immediate risk: An increasing risk escalation was raised at stage 2. You are told because the subject is at immediate risk: read it now. Emergency action comes first: this record never stands in for it.',
    ],
  ])('%s', (_name, e, reason, expected) => {
    expect(notificationWords(e, reason)).toBe(expected);
  });

  it('never carries the rationale', () => {
    const e = event({ type: 'resolved' });
    expect(notificationWords(e, 'raiser')).not.toContain(e.rationale);
  });
});
