import { Demo } from '@mash/schema';
import { contactsOnBroker, ESCALATION, escalationEvent } from '@test/support/fixtures/notifications-harness';
import { deadLettersOn } from '@test/support/dead-letters';

// Integration, on the real broker and database: an escalation event that is not one goes to the escalation-events
// dead-letter topic with its code and the failing paths (never the values), and the event behind it in the same
// partition tells the people it should.

const C = Demo.contacts;

describe('a malformed escalation event is dead-lettered and the partition carries on', () => {
  const h = contactsOnBroker();

  it('dead-letters it with EVENT_DATA_INVALID and the paths, then notifies for the next event', async () => {
    const bad = JSON.stringify(
      escalationEvent({ id: 'event-bad-1', at: '2026-02-30T10:00:00Z', raisingAgencyId: 'Thames Valley' }),
    );
    const after = escalationEvent({
      id: 'event-acknowledged-2',
      type: 'acknowledged',
      status: 'IN_DISCUSSION',
      actor: C.laChildrenPractitioner,
    });
    await h.send(bad, after);
    await h.settled();

    const [letter, ...more] = await deadLettersOn(h.names.internalDeadLetter('escalation-events'), 1);
    expect(more).toEqual([]);
    expect(letter).toEqual({
      key: ESCALATION,
      value: bad,
      code: 'EVENT_DATA_INVALID',
      reason:
        'not an escalation event: at must be an RFC 3339 timestamp that exists in the calendar; raisingAgencyId must be a UUID',
      sourceTopic: h.names.escalationEvents,
      sourceOffset: expect.stringMatching(/^\d+$/),
    });
    expect(letter?.reason).not.toContain('Thames');
    expect((await h.receivedFor(after.id, 2)).map((m) => m.recipientId).sort()).toEqual(
      [C.laChildrenDutySocialWorker, C.policePractitioner].sort(),
    );
  });
});
