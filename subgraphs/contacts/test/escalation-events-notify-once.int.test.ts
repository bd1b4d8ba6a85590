import { Demo, type NotificationMessage } from '@mash/schema';
import { notificationId } from '@mash/contacts';
import {
  contactsOnBroker,
  ESCALATION,
  escalationEvent,
  notificationRows,
} from '@test/support/fixtures/notifications-harness';

// Integration, on the real broker and database: escalation events become notification rows and messages on the
// notifications topic, each person told once per event, and a replay tells nobody again.

const C = Demo.contacts;

const byRecipient = (a: { recipientId: string }, b: { recipientId: string }) =>
  a.recipientId.localeCompare(b.recipientId);

describe('notifications from escalation events', () => {
  const h = contactsOnBroker();
  const raised = escalationEvent();

  it('tells the first stage’s owners of both agencies of an automatic raise, in rows and on the topic', async () => {
    await h.send(raised);
    await h.settled();
    await h.receivedFor(raised.id, 3);
    const words =
      'A threshold disagreement escalation was raised automatically at stage 1. You own this stage: the receiving agency acknowledges it, then talk to your counterpart in the other agency and record what is agreed.';
    const expected: NotificationMessage[] = [
      C.laChildrenDutySocialWorker,
      C.laChildrenPractitioner,
      C.policePractitioner,
    ].map((recipientId) => ({
      id: notificationId(raised.id, recipientId),
      recipientId,
      partnershipId: Demo.partnershipId,
      escalationId: ESCALATION,
      eventId: raised.id,
      eventType: 'raised',
      reason: 'stage-owner',
      stage: 1,
      message: words,
      immediateRisk: false,
      at: raised.at,
    }));
    expect([...h.published].sort(byRecipient)).toEqual(expected.sort(byRecipient));
    expect(await notificationRows(h.dataSource)).toEqual(
      expected.map((m) => ({
        id: m.id,
        recipient_id: m.recipientId,
        escalation_id: ESCALATION,
        event_id: raised.id,
        event_type: 'raised',
        reason: 'stage-owner',
        stage: 1,
        message: words,
        immediate_risk: false,
        at: new Date(raised.at),
        read_at: null,
      })),
    );
  });

  it('tells nobody again when the event is delivered again, alone or twice in one batch', async () => {
    await h.send(raised, raised);
    await h.settled();
    expect(await notificationRows(h.dataSource)).toHaveLength(3);
    expect(h.published).toHaveLength(3);
  });

  it('tells the raisers recorded at the raise and the next stage’s owners of both agencies when the clock moves it on', async () => {
    const advanced = escalationEvent({
      id: 'event-advanced-2',
      type: 'stage-advanced',
      stage: 2,
      status: 'AWAITING_ACKNOWLEDGEMENT',
      at: '2026-06-08T09:00:00.000Z',
      stageOwnerRoles: ['line-manager', 'designated-safeguarding-lead'],
      cause: 'deadline',
    });
    await h.send(advanced);
    await h.settled();
    const mine = await h.receivedFor(advanced.id, 4);
    expect(mine.map((m) => [m.recipientId, m.reason]).sort()).toEqual(
      [
        [C.policeLineManager, 'stage-owner'],
        [C.policeDsl, 'stage-owner'],
        [C.laChildrenLineManager, 'stage-owner'],
        [C.policePractitioner, 'raiser'],
      ].sort(),
    );
    expect(mine.find((m) => m.reason === 'raiser')?.message).toBe(
      "The threshold disagreement escalation moved to stage 2 because the previous stage's deadline passed unresolved. You will be told of every decision recorded at this stage.",
    );
  });

  it('tells the MASH officers and both agencies’ safeguarding leads of an immediate risk at once, not the raiser who raised it', async () => {
    const urgent = escalationEvent({
      id: 'event-immediate-1',
      escalationId: '5a1e0000-0000-4000-8000-000000000002',
      stage: 2,
      immediateRisk: true,
      autoRaised: false,
      raisedBy: C.policePractitioner,
      actor: C.policePractitioner,
      stageOwnerRoles: ['line-manager', 'designated-safeguarding-lead'],
    });
    await h.send(urgent);
    await h.settled();
    const mine = await h.receivedFor(urgent.id, 4);
    expect(mine.map((m) => [m.recipientId, m.reason]).sort()).toEqual(
      [
        [C.mashOfficer, 'immediate-risk'],
        [C.policeDsl, 'immediate-risk'],
        [C.policeLineManager, 'stage-owner'],
        [C.laChildrenLineManager, 'stage-owner'],
      ].sort(),
    );
    expect(mine.every((m) => m.immediateRisk && m.message.startsWith('Immediate risk: '))).toBe(true);
  });

  it('dead-letters an event that can never apply and handles the events behind it', async () => {
    const after = escalationEvent({
      id: 'event-acknowledged-1',
      type: 'acknowledged',
      status: 'IN_DISCUSSION',
      actor: C.laChildrenPractitioner,
    });
    await h.send('not an escalation event', after);
    await h.settled();
    expect(await h.topicEnds(h.names.internalDeadLetter('escalation-events'))).toBe(1);
    expect((await h.receivedFor(after.id, 2)).map((m) => m.recipientId).sort()).toEqual(
      [C.laChildrenDutySocialWorker, C.policePractitioner].sort(),
    );
  });
});
