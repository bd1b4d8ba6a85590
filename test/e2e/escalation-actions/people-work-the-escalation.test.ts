import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Kafka, type Consumer } from 'kafkajs';
import { Demo, topics, type EscalationEventMessage } from '@mash/schema';
import { thresholdDisagreementEvents } from '../../../scripts/lib/demo-events';
import { startDemoPlatform, type DemoPlatform } from '@test/support/demo-platform';
import { eventually, gql, type GraphQLResponse } from '@test/support/gateway-client';
import { testKafkaConfig } from '@test/support/kafka';
import {
  chair,
  healthDsl,
  laLineManager,
  laPractitioner,
  mashOfficer,
  policeLineManager,
  policeHeadOfService,
  policePractitioner,
} from '@test/support/demo-callers';

// People work an escalation through the real gateway, broker and database: raise (by hand, and at immediate risk),
// acknowledge, record a meeting, advance, resolve, capture learning, redirect, and at the last stage a resolution
// panel and its decision. Each action is refused with its exact code for the wrong agency, the wrong role, the
// wrong stage or a missing rationale, and changes nothing then; each publishes its escalation event with every
// field a notifier needs.

const C = Demo.contacts;
const A = Demo.agencies;

const FIELDS = `id stage status autoRaised immediateRisk raisedBy stageOwnerRoles stageDeadline raisedAt resolvedAt
  outcome outstandingIssues redirectRoute raisingAgency { id } receivingAgency { id }
  history { fromStage toStage fromStatus toStatus actor rationale }`;

interface Escalation {
  id: string;
  stage: number;
  status: string;
  autoRaised: boolean;
  immediateRisk: boolean;
  raisedBy: string | null;
  stageOwnerRoles: string[];
  stageDeadline: string | null;
  raisedAt: string;
  resolvedAt: string | null;
  outcome: string | null;
  outstandingIssues: string | null;
  redirectRoute: string | null;
  raisingAgency: { id: string };
  receivingAgency: { id: string };
  history: {
    fromStage: number | null;
    toStage: number;
    fromStatus: string | null;
    toStatus: string;
    actor: string;
    rationale: string;
  }[];
}

const RAISE = `mutation($input: RaiseEscalationInput!) {
  raiseEscalation(input: $input) { emergencyReminder escalation { ${FIELDS} } } }`;
const ACK = `mutation($id: ID!, $r: String!) { acknowledgeEscalation(id: $id, rationale: $r) { ${FIELDS} } }`;
const MEET = `mutation($input: RecordEscalationMeetingInput!) { recordEscalationMeeting(input: $input) {
  ${FIELDS} meetings { stage heldAt recordedBy agreed participants { contact { id name } agency { id name } } } } }`;
const ADVANCE = `mutation($id: ID!, $r: String!) { advanceEscalation(id: $id, rationale: $r) { ${FIELDS} } }`;
const RESOLVE = `mutation($id: ID!, $o: EscalationOutcome!, $i: String!, $r: String!) {
  resolveEscalation(id: $id, outcome: $o, outstandingIssues: $i, rationale: $r) { ${FIELDS} } }`;
const LEARN = `mutation($id: ID!, $l: String!, $d: String) {
  recordEscalationLearning(id: $id, learning: $l, debrief: $d) { id learning { recordedBy learning debrief } } }`;
const REDIRECT = `mutation($id: ID!, $route: RedirectRoute!, $r: String!) {
  redirectEscalation(id: $id, route: $route, rationale: $r) { ${FIELDS} } }`;
const CONVENE = `mutation($id: ID!, $m: [EscalationParticipantInput!]!) { conveneResolutionPanel(id: $id, members: $m) {
  id panel { convenedBy members { contact { name } agency { name } } decision { decision } } } }`;
const DECIDE = `mutation($id: ID!, $d: EscalationOutcome!, $r: String!, $i: String!) {
  recordPanelDecision(id: $id, decision: $d, rationale: $r, outstandingIssues: $i) {
    ${FIELDS} panel { decision { decidedBy decision rationale } } } }`;
const READ = `query($id: ID!) { escalation(id: $id) { ${FIELDS} } }`;

const member = (contactId: string, agencyId: string) => ({ contactId, agencyId });
const HEADS_AND_HEALTH = [
  member(C.policeHeadOfService, A.police),
  member(C.laChildrenHeadOfService, A.laChildren),
  member(C.healthDsl, A.health),
];

describe('people work an escalation through the gateway', () => {
  let demo: DemoPlatform;
  let watcher: Consumer;
  const events: EscalationEventMessage[] = [];
  /** Raised by police with children's services and taken to resolution. */
  let id: string;
  let raisedAt: string;
  /** Raised by the MASH officer at immediate risk, at stage 3; redirected. */
  let urgentId: string;
  /** Raised at immediate risk at the last stage; goes to a resolution panel. */
  let panelId: string;

  const call = <T = Record<string, unknown>>(
    query: string,
    variables: Record<string, unknown>,
    token: string,
  ) => gql<T>(demo.platform.gatewayUrl, query, variables, token);
  const read = async (escalationId: string): Promise<Escalation> => {
    const res = await call<{ escalation: Escalation }>(READ, { id: escalationId }, mashOfficer);
    expect(res.errors).toBeUndefined();
    return res.data!.escalation;
  };
  /** The one error's code (and field, for BAD_USER_INPUT), with no data. */
  const refusal = (res: GraphQLResponse<unknown>) => {
    expect(res.data ?? null).toBeNull();
    expect(res.errors).toHaveLength(1);
    const ext = res.errors![0]!.extensions ?? {};
    return ext['field'] === undefined ? ext['code'] : [ext['code'], ext['field']];
  };
  /** Runs refusals and checks that the escalation, its history and its events are as they were. */
  const unchangedBy = async (escalationId: string, refuse: () => Promise<unknown>) => {
    const before = await read(escalationId);
    const eventsBefore = events.filter((e) => e.escalationId === escalationId).length;
    await refuse();
    expect(await read(escalationId)).toEqual(before);
    await new Promise((r) => setTimeout(r, 300)); // an event would have been relayed by now
    expect(events.filter((e) => e.escalationId === escalationId)).toHaveLength(eventsBefore);
  };
  /** The escalation event of this type, once it has reached the topic; its id and time are checked as types. */
  const event = async (escalationId: string, type: string) => {
    const found = await eventually(
      async () => {
        const all = events.filter((e) => e.escalationId === escalationId && e.type === type);
        return all.length > 0 ? all : undefined;
      },
      { what: `the ${type} event` },
    );
    expect(found).toHaveLength(1);
    const { id: eventId, at, ...rest } = found[0]!;
    expect(eventId).toMatch(/^[0-9a-f-]{36}$/);
    expect(Number.isNaN(Date.parse(at))).toBe(false);
    return rest;
  };
  /** The fields every event of the hand-raised escalation carries. */
  const parties = (escalationId: string) => ({
    escalationId,
    caseId: Demo.subject.caseId,
    partnershipId: Demo.partnershipId,
    ground: 'procedures-not-followed',
    raisingAgencyId: A.police,
    receivingAgencyId: A.laChildren,
    immediateRisk: false,
    autoRaised: false,
    raisedBy: C.policePractitioner,
  });

  beforeAll(async () => {
    demo = await startDemoPlatform();
    watcher = new Kafka(testKafkaConfig(`${demo.prefix}escalation-events-watcher`)).consumer({
      groupId: `${demo.prefix}escalation-events-watcher`,
      maxWaitTimeInMs: 200,
    });
    await watcher.connect();
    await watcher.subscribe({ topic: topics(demo.prefix).escalationEvents, fromBeginning: true });
    await watcher.run({
      eachMessage: async ({ message }) => {
        if (message.value) events.push(JSON.parse(message.value.toString()) as EscalationEventMessage);
      },
    });
    // Child A's case, known to police and children's services (and the automatic escalation it raises).
    await demo.publish(thresholdDisagreementEvents(new Date(), 'actions'));
    await eventually(
      async () => {
        const res = await call<{ escalations: { nodes: unknown[] } }>(
          `query($p: ID!) { escalations(partnershipId: $p) { nodes { id } } }`,
          { p: Demo.partnershipId },
          mashOfficer,
        );
        return res.data?.escalations.nodes.length ? true : undefined;
      },
      { what: "Child A's case to reach the escalations service", timeoutMs: 60_000 },
    );
  }, 120_000);

  afterAll(async () => {
    await watcher?.disconnect();
    await demo?.stop();
  });

  it('raises by hand, refusing an agency not involved, one’s own agency, a blank reason and a stage without immediate risk', async () => {
    const input = {
      caseId: Demo.subject.caseId,
      ground: 'PROCEDURES_NOT_FOLLOWED',
      receivingAgencyId: A.laChildren,
      reason: 'The referral was closed without a strategy discussion.',
    };
    expect(refusal(await call(RAISE, { input }, healthDsl))).toBe('FORBIDDEN');
    expect(
      refusal(await call(RAISE, { input: { ...input, receivingAgencyId: A.police } }, policePractitioner)),
    ).toEqual(['BAD_USER_INPUT', 'receivingAgencyId']);
    expect(
      refusal(
        await call(RAISE, { input: { ...input, receivingAgencyId: A.partnership } }, policePractitioner),
      ),
    ).toEqual(['BAD_USER_INPUT', 'receivingAgencyId']);
    expect(refusal(await call(RAISE, { input: { ...input, reason: '  ' } }, policePractitioner))).toEqual([
      'BAD_USER_INPUT',
      'reason',
    ]);
    expect(refusal(await call(RAISE, { input: { ...input, startStage: 2 } }, policePractitioner))).toEqual([
      'BAD_USER_INPUT',
      'startStage',
    ]);
    expect(
      refusal(
        await call(
          RAISE,
          { input: { ...input, caseId: '0b9f8a1e-2c1d-4f7a-9f51-00000000dead' } },
          policePractitioner,
        ),
      ),
    ).toBe('NOT_FOUND');

    const res = await call<{ raiseEscalation: { emergencyReminder: string | null; escalation: Escalation } }>(
      RAISE,
      { input },
      policePractitioner,
    );
    expect(res.errors).toBeUndefined();
    const { emergencyReminder, escalation: e } = res.data!.raiseEscalation;
    id = e.id;
    raisedAt = e.raisedAt;
    expect(emergencyReminder).toBeNull();
    expect(e).toMatchObject({
      stage: 1,
      status: 'AWAITING_ACKNOWLEDGEMENT',
      autoRaised: false,
      immediateRisk: false,
      raisedBy: C.policePractitioner,
      stageOwnerRoles: ['practitioner'],
      raisingAgency: { id: A.police },
      receivingAgency: { id: A.laChildren },
      history: [
        {
          fromStage: null,
          toStage: 1,
          fromStatus: null,
          toStatus: 'AWAITING_ACKNOWLEDGEMENT',
          actor: C.policePractitioner,
          rationale: input.reason,
        },
      ],
    });
    // MK Together: the professionals meet within 7 days of the challenge.
    expect(Date.parse(e.stageDeadline!) - Date.parse(e.raisedAt)).toBe(7 * 24 * 3600 * 1000);
    // The same ground between the same agencies is open already.
    expect(refusal(await call(RAISE, { input }, policePractitioner))).toBe('INVALID_TRANSITION');

    expect(await event(id, 'raised')).toEqual({
      type: 'raised',
      ...parties(id),
      stage: 1,
      status: 'AWAITING_ACKNOWLEDGEMENT',
      rationale: input.reason,
      actor: C.policePractitioner,
      stageOwnerRoles: ['practitioner'],
    });
  });

  it('raises at immediate risk at the chosen stage, on hours, reminding that emergency action comes first', async () => {
    const res = await call<{ raiseEscalation: { emergencyReminder: string | null; escalation: Escalation } }>(
      RAISE,
      {
        input: {
          caseId: Demo.subject.caseId,
          ground: 'INCREASING_RISK',
          receivingAgencyId: A.police,
          reason: 'A new missing episode and no strategy discussion.',
          immediateRisk: true,
          startStage: 3,
        },
      },
      mashOfficer,
    );
    expect(res.errors).toBeUndefined();
    const { emergencyReminder, escalation: e } = res.data!.raiseEscalation;
    urgentId = e.id;
    expect(emergencyReminder).toMatch(/emergency action first.*999.*children's social care/s);
    expect(e).toMatchObject({
      stage: 3,
      immediateRisk: true,
      stageOwnerRoles: ['head-of-service'],
      raisedBy: C.mashOfficer,
      // The MASH officer raises for their own agency, children's services.
      raisingAgency: { id: A.laChildren },
      receivingAgency: { id: A.police },
    });
    // MK Together's stage 3 at immediate risk: 24 hours.
    expect(Date.parse(e.stageDeadline!) - Date.parse(e.raisedAt)).toBe(24 * 3600 * 1000);
    expect(await event(urgentId, 'raised')).toMatchObject({
      stage: 3,
      immediateRisk: true,
      autoRaised: false,
      raisedBy: C.mashOfficer,
      actor: C.mashOfficer,
      ground: 'increasing-risk',
      stageOwnerRoles: ['head-of-service'],
      rationale:
        'Immediate risk: started at stage 3 (Heads of service meet). A new missing episode and no strategy discussion.',
    });
  });

  it('lets the owners of the stage in the receiving agency acknowledge, and no one else', async () => {
    await unchangedBy(id, async () => {
      // The raising agency, the wrong role at stage 1, a blank rationale.
      expect(refusal(await call(ACK, { id, r: 'Seen.' }, policePractitioner))).toBe('FORBIDDEN');
      expect(refusal(await call(ACK, { id, r: 'Seen.' }, laLineManager))).toBe('FORBIDDEN');
      expect(refusal(await call(ACK, { id, r: ' ' }, laPractitioner))).toEqual([
        'BAD_USER_INPUT',
        'rationale',
      ]);
    });
    const res = await call<{ acknowledgeEscalation: Escalation }>(
      ACK,
      { id, r: 'Will call the officer today.' },
      laPractitioner,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.acknowledgeEscalation).toMatchObject({ stage: 1, status: 'IN_DISCUSSION' });
    expect(refusal(await call(ACK, { id, r: 'Again.' }, laPractitioner))).toBe('INVALID_TRANSITION');
    expect(await event(id, 'acknowledged')).toEqual({
      type: 'acknowledged',
      ...parties(id),
      stage: 1,
      status: 'IN_DISCUSSION',
      rationale: 'Will call the officer today.',
      actor: C.laChildrenPractitioner,
      stageOwnerRoles: ['practitioner'],
    });
  });

  it('records a meeting: who took part from which agencies, when and what was agreed', async () => {
    // Held just after the raise, while the escalation was at stage 1.
    const heldAt = new Date(Date.parse(raisedAt) + 1).toISOString();
    const input = {
      escalationId: id,
      heldAt,
      participants: [member(C.policePractitioner, A.police), member(C.laChildrenPractitioner, A.laChildren)],
      agreed: 'Children’s services will review the referral with their team manager.',
    };
    await unchangedBy(id, async () => {
      expect(refusal(await call(MEET, { input }, healthDsl))).toBe('FORBIDDEN');
      expect(refusal(await call(MEET, { input: { ...input, agreed: '' } }, policePractitioner))).toEqual([
        'BAD_USER_INPUT',
        'agreed',
      ]);
      const tomorrow = new Date(Date.now() + 86_400_000).toISOString();
      expect(
        refusal(await call(MEET, { input: { ...input, heldAt: tomorrow } }, policePractitioner)),
      ).toEqual(['BAD_USER_INPUT', 'heldAt']);
      const wrongAgency = [
        member(C.policePractitioner, A.laChildren),
        member(C.laChildrenPractitioner, A.laChildren),
      ];
      expect(
        refusal(await call(MEET, { input: { ...input, participants: wrongAgency } }, policePractitioner)),
      ).toEqual(['BAD_USER_INPUT', 'participants']);
    });
    const res = await call<{
      recordEscalationMeeting: Escalation & {
        meetings: {
          stage: number;
          heldAt: string;
          recordedBy: string;
          agreed: string;
          participants: { contact: { id: string; name: string }; agency: { id: string; name: string } }[];
        }[];
      };
    }>(MEET, { input }, policePractitioner);
    expect(res.errors).toBeUndefined();
    expect(res.data!.recordEscalationMeeting.meetings).toEqual([
      {
        stage: 1,
        heldAt,
        recordedBy: C.policePractitioner,
        agreed: input.agreed,
        participants: [
          {
            contact: { id: C.policePractitioner, name: 'Aisha Rahman' },
            agency: { id: A.police, name: 'Thames Valley Police' },
          },
          {
            contact: { id: C.laChildrenPractitioner, name: 'Ben Okafor' },
            agency: { id: A.laChildren, name: "Milton Keynes Council Children's Services" },
          },
        ],
      },
    ]);
    expect(await event(id, 'meeting-recorded')).toEqual({
      type: 'meeting-recorded',
      ...parties(id),
      stage: 1,
      status: 'IN_DISCUSSION',
      rationale: `Meeting held at ${heldAt} (stage 1), 2 taking part: ${input.agreed}`,
      actor: C.policePractitioner,
      stageOwnerRoles: ['practitioner'],
    });
  });

  it('lets the owners of the stage in either agency advance it with a rationale', async () => {
    await unchangedBy(id, async () => {
      expect(refusal(await call(ADVANCE, { id, r: '' }, policePractitioner))).toEqual([
        'BAD_USER_INPUT',
        'rationale',
      ]);
      expect(refusal(await call(ADVANCE, { id, r: 'Up.' }, healthDsl))).toBe('FORBIDDEN');
      expect(refusal(await call(ADVANCE, { id, r: 'Up.' }, laLineManager))).toBe('FORBIDDEN');
    });
    const res = await call<{ advanceEscalation: Escalation }>(
      ADVANCE,
      { id, r: 'No agreement between the practitioners.' },
      policePractitioner,
    );
    expect(res.errors).toBeUndefined();
    const e = res.data!.advanceEscalation;
    expect(e).toMatchObject({
      stage: 2,
      status: 'AWAITING_ACKNOWLEDGEMENT',
      stageOwnerRoles: ['line-manager', 'designated-safeguarding-lead'],
    });
    expect(e.history.at(-1)).toEqual({
      fromStage: 1,
      toStage: 2,
      fromStatus: 'IN_DISCUSSION',
      toStatus: 'AWAITING_ACKNOWLEDGEMENT',
      actor: C.policePractitioner,
      rationale: 'No agreement between the practitioners.',
    });
    // Stage 2 is the line managers' now: the practitioner may no longer move it.
    expect(refusal(await call(ADVANCE, { id, r: 'Up again.' }, policePractitioner))).toBe('FORBIDDEN');
    expect(await event(id, 'stage-advanced')).toEqual({
      type: 'stage-advanced',
      ...parties(id),
      stage: 2,
      status: 'AWAITING_ACKNOWLEDGEMENT',
      rationale: 'No agreement between the practitioners.',
      actor: C.policePractitioner,
      stageOwnerRoles: ['line-manager', 'designated-safeguarding-lead'],
      cause: 'person',
    });
  });

  it('resolves with a coded outcome and how outstanding issues will be pursued', async () => {
    const args = {
      id,
      o: 'DECISION_CHANGED',
      i: 'A strategy discussion on Thursday; the line managers review it the week after.',
      r: 'The team manager agreed the threshold for a strategy discussion is met.',
    };
    await unchangedBy(id, async () => {
      expect(refusal(await call(RESOLVE, args, laPractitioner))).toBe('FORBIDDEN');
      expect(refusal(await call(RESOLVE, { ...args, i: '' }, laLineManager))).toEqual([
        'BAD_USER_INPUT',
        'outstandingIssues',
      ]);
      expect(refusal(await call(RESOLVE, { ...args, r: ' ' }, laLineManager))).toEqual([
        'BAD_USER_INPUT',
        'rationale',
      ]);
      // Learning and a panel wait for their stage.
      expect(refusal(await call(LEARN, { id, l: 'Too early.' }, chair))).toBe('INVALID_TRANSITION');
      expect(refusal(await call(CONVENE, { id, m: HEADS_AND_HEALTH }, chair))).toBe('INVALID_TRANSITION');
    });
    const res = await call<{ resolveEscalation: Escalation }>(RESOLVE, args, laLineManager);
    expect(res.errors).toBeUndefined();
    expect(res.data!.resolveEscalation).toMatchObject({
      status: 'RESOLVED',
      outcome: 'DECISION_CHANGED',
      outstandingIssues: args.i,
      stageDeadline: null,
    });
    expect(res.data!.resolveEscalation.resolvedAt).not.toBeNull();
    expect(refusal(await call(RESOLVE, args, laLineManager))).toBe('INVALID_TRANSITION');
    expect(await event(id, 'resolved')).toEqual({
      type: 'resolved',
      ...parties(id),
      stage: 2,
      status: 'RESOLVED',
      rationale: args.r,
      actor: C.laChildrenLineManager,
      stageOwnerRoles: ['line-manager', 'designated-safeguarding-lead'],
    });
  });

  it('captures learning and a debrief once resolved', async () => {
    await unchangedBy(id, async () => {
      expect(refusal(await call(LEARN, { id, l: 'Learnt.' }, healthDsl))).toBe('FORBIDDEN');
      expect(refusal(await call(LEARN, { id, l: '' }, chair))).toEqual(['BAD_USER_INPUT', 'learning']);
    });
    const res = await call<{ recordEscalationLearning: { learning: unknown[] } }>(
      LEARN,
      {
        id,
        l: 'Closing a police referral needs a conversation with the referrer.',
        d: 'Debrief held with both teams.',
      },
      chair,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.recordEscalationLearning.learning).toEqual([
      {
        recordedBy: C.partnershipChair,
        learning: 'Closing a police referral needs a conversation with the referrer.',
        debrief: 'Debrief held with both teams.',
      },
    ]);
    expect(await event(id, 'learning-recorded')).toEqual({
      type: 'learning-recorded',
      ...parties(id),
      stage: 2,
      status: 'RESOLVED',
      rationale:
        'Learning recorded: Closing a police referral needs a conversation with the referrer. Debrief: Debrief ' +
        'held with both teams.',
      actor: C.partnershipChair,
      stageOwnerRoles: ['line-manager', 'designated-safeguarding-lead'],
    });
  });

  it('redirects to another route, closing the escalation as REDIRECTED', async () => {
    await unchangedBy(urgentId, async () => {
      // Stage 3 belongs to the heads of service: a practitioner of the receiving agency may not.
      expect(refusal(await call(REDIRECT, { id: urgentId, route: 'LADO', r: 'x' }, policePractitioner))).toBe(
        'FORBIDDEN',
      );
      expect(
        refusal(await call(REDIRECT, { id: urgentId, route: 'LADO', r: '' }, policeHeadOfService)),
      ).toEqual(['BAD_USER_INPUT', 'rationale']);
      expect(
        refusal(await call(REDIRECT, { id: urgentId, route: 'ELSEWHERE', r: 'x' }, policeHeadOfService)),
      ).toBe('BAD_USER_INPUT');
    });
    const res = await call<{ redirectEscalation: Escalation }>(
      REDIRECT,
      { id: urgentId, route: 'LADO', r: 'The concern is about an officer’s conduct.' },
      policeHeadOfService,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.redirectEscalation).toMatchObject({
      status: 'REDIRECTED',
      redirectRoute: 'LADO',
      outcome: null,
      stageDeadline: null,
    });
    expect(res.data!.redirectEscalation.history.at(-1)).toMatchObject({
      toStatus: 'REDIRECTED',
      actor: C.policeHeadOfService,
      rationale:
        'Redirected to the Local Authority Designated Officer (LADO): The concern is about an officer’s conduct.',
    });
    expect(refusal(await call(REDIRECT, { id: urgentId, route: 'LADO', r: 'Again.' }, mashOfficer))).toBe(
      'INVALID_TRANSITION',
    );
    expect(await event(urgentId, 'redirected')).toMatchObject({
      status: 'REDIRECTED',
      stage: 3,
      actor: C.policeHeadOfService,
      immediateRisk: true,
      raisedBy: C.mashOfficer,
    });
  });

  it('lets the chair convene a resolution panel at the last stage and record its decision', async () => {
    const raised = await call<{ raiseEscalation: { escalation: Escalation } }>(
      RAISE,
      {
        input: {
          caseId: Demo.subject.caseId,
          ground: 'ACTIONS_NOT_COMPLETED',
          receivingAgencyId: A.laChildren,
          reason: 'The agreed visits have not happened for three weeks.',
          immediateRisk: true,
          startStage: 4,
        },
      },
      policePractitioner,
    );
    expect(raised.errors).toBeUndefined();
    panelId = raised.data!.raiseEscalation.escalation.id;
    expect(raised.data!.raiseEscalation.escalation).toMatchObject({
      stage: 4,
      stageOwnerRoles: ['partnership-chair'],
      stageDeadline: null,
    });
    // The refusals below must relay nothing: count from after the raise's own event has come through.
    await event(panelId, 'raised');

    await unchangedBy(panelId, async () => {
      expect(refusal(await call(CONVENE, { id: panelId, m: HEADS_AND_HEALTH }, policeHeadOfService))).toBe(
        'FORBIDDEN',
      );
      expect(refusal(await call(CONVENE, { id: panelId, m: HEADS_AND_HEALTH.slice(0, 2) }, chair))).toEqual([
        'BAD_USER_INPUT',
        'members',
      ]);
      const withoutPolice = [HEADS_AND_HEALTH[1], HEADS_AND_HEALTH[2], member(C.educationDsl, A.education)];
      const res = await call(CONVENE, { id: panelId, m: withoutPolice }, chair);
      expect(refusal(res)).toEqual(['BAD_USER_INPUT', 'members']);
      expect(res.errors![0]!.message).toBe(
        'The agencies in dispute sit on the panel where possible, and Thames Valley Police has people in the ' +
          'directory: add a representative of each.',
      );
      expect(refusal(await call(DECIDE, { id: panelId, d: 'DECISION_UPHELD', r: 'x', i: 'y' }, chair))).toBe(
        'INVALID_TRANSITION',
      );
    });
    const convened = await call<{ conveneResolutionPanel: { panel: unknown } }>(
      CONVENE,
      { id: panelId, m: HEADS_AND_HEALTH },
      chair,
    );
    expect(convened.errors).toBeUndefined();
    expect(convened.data!.conveneResolutionPanel.panel).toEqual({
      convenedBy: C.partnershipChair,
      members: [
        { contact: { name: 'Mark Ellison' }, agency: { name: 'Thames Valley Police' } },
        {
          contact: { name: 'David Ashworth' },
          agency: { name: "Milton Keynes Council Children's Services" },
        },
        { contact: { name: 'Naomi Brooks' }, agency: { name: 'Milton Keynes University Hospital' } },
      ],
      decision: null,
    });
    expect(refusal(await call(CONVENE, { id: panelId, m: HEADS_AND_HEALTH }, chair))).toBe(
      'INVALID_TRANSITION',
    );
    expect(await event(panelId, 'panel-convened')).toMatchObject({
      stage: 4,
      status: 'AWAITING_ACKNOWLEDGEMENT',
      actor: C.partnershipChair,
      stageOwnerRoles: ['partnership-chair'],
      rationale:
        'Resolution panel convened with representatives of Thames Valley Police, Milton Keynes Council ' +
        "Children's Services, Milton Keynes University Hospital.",
    });

    const args = {
      id: panelId,
      d: 'AGREED_ACTION_PLAN',
      r: 'Visits resume this week under a named social worker.',
      i: 'The core group checks the visits at its next meeting.',
    };
    await unchangedBy(panelId, async () => {
      expect(refusal(await call(DECIDE, args, policeHeadOfService))).toBe('FORBIDDEN');
      expect(refusal(await call(DECIDE, { ...args, r: '' }, chair))).toEqual(['BAD_USER_INPUT', 'rationale']);
    });
    const decided = await call<{ recordPanelDecision: Escalation & { panel: unknown } }>(DECIDE, args, chair);
    expect(decided.errors).toBeUndefined();
    expect(decided.data!.recordPanelDecision).toMatchObject({
      status: 'RESOLVED',
      outcome: 'AGREED_ACTION_PLAN',
      outstandingIssues: args.i,
      panel: {
        decision: { decidedBy: C.partnershipChair, decision: 'AGREED_ACTION_PLAN', rationale: args.r },
      },
    });
    expect(await event(panelId, 'panel-decided')).toEqual({
      type: 'panel-decided',
      escalationId: panelId,
      caseId: Demo.subject.caseId,
      partnershipId: Demo.partnershipId,
      ground: 'actions-not-completed',
      raisingAgencyId: A.police,
      receivingAgencyId: A.laChildren,
      immediateRisk: true,
      autoRaised: false,
      raisedBy: C.policePractitioner,
      stage: 4,
      status: 'RESOLVED',
      rationale: `Resolution panel decision: ${args.r}`,
      actor: C.partnershipChair,
      stageOwnerRoles: ['partnership-chair'],
    });
  });

  it("runs README.md's walk-through as written, from raise to learning", async () => {
    // The first escalation above (same case, ground and agencies) is resolved, so the walk-through raises anew.
    const readme = readFileSync(join(__dirname, '../../../README.md'), 'utf8');
    const section = readme.slice(
      readme.indexOf('<!-- walkthrough:run'),
      readme.indexOf('<!-- walkthrough:end -->'),
    );
    const blocks = [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!);
    expect(blocks).toHaveLength(8);
    const { stdout } = await promisify(execFile)('bash', ['-c', `set -euo pipefail\n${blocks.join('\n')}`], {
      env: {
        PATH: process.env['PATH'] ?? '',
        GATEWAY: demo.platform.gatewayUrl,
        TOKEN: mashOfficer,
        POLICE_PRACTITIONER: policePractitioner,
        LA_PRACTITIONER: laPractitioner,
        POLICE_LINE_MANAGER: policeLineManager,
        LA_LINE_MANAGER: laLineManager,
        CHAIR: chair,
      },
    });
    expect(stdout).not.toContain('"errors"');
    const walked = (
      JSON.parse(readFileSync('/tmp/raised.json', 'utf8')) as {
        data: { raiseEscalation: { escalation: { id: string } } };
      }
    ).data.raiseEscalation.escalation.id;
    expect(walked).not.toBe(id);
    const e = await read(walked);
    expect(e).toMatchObject({
      status: 'RESOLVED',
      outcome: 'DECISION_CHANGED',
      raisedBy: C.policePractitioner,
      stage: 2,
    });
    expect(e.history.map((h) => [h.toStage, h.toStatus, h.actor])).toEqual([
      [1, 'AWAITING_ACKNOWLEDGEMENT', C.policePractitioner],
      [1, 'IN_DISCUSSION', C.laChildrenPractitioner],
      [2, 'AWAITING_ACKNOWLEDGEMENT', C.policePractitioner],
      [2, 'RESOLVED', C.laChildrenLineManager],
    ]);
    expect(stdout).toContain(
      '"learning": "Closing a police referral needs a conversation with the referrer."',
    );
    await event(walked, 'learning-recorded');
  });
});
