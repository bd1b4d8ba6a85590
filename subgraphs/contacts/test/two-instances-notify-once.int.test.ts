import { notificationId } from '@mash/contacts';
import { Demo } from '@mash/schema';
import { eventually } from '@test/support/gateway-client';
import {
  contactsOnBroker,
  escalationEvent,
  notificationRows,
} from '@test/support/fixtures/notifications-harness';

// Integration: two contacts instances in one consumer group share the escalation events between them, and every
// person is told once per event.

const C = Demo.contacts;
const STAGE_ONE_OWNERS = [C.laChildrenDutySocialWorker, C.laChildrenPractitioner, C.policePractitioner];

describe('two contacts instances', () => {
  const h = contactsOnBroker(2);

  it('tell each stage owner of each of twelve escalations once', async () => {
    const events = Array.from({ length: 12 }, (_, i) =>
      escalationEvent({
        id: `event-raised-${i}`,
        escalationId: `5a1e0000-0000-4000-8000-0000000001${String(i).padStart(2, '0')}`,
      }),
    );
    await h.send(...events);
    await h.settled();
    await eventually(async () => (new Set(h.published.map((m) => m.id)).size >= 36 ? true : undefined), {
      what: 'every notification on the topic',
    });
    const expected = events.flatMap((e) => STAGE_ONE_OWNERS.map((c) => notificationId(e.id, c))).sort();
    expect((await notificationRows(h.dataSource)).map((r) => r.id).sort()).toEqual(expected);
    // The relay is at least once; consumers drop repeats by id. Every id published, each with one body.
    const ids = new Set(h.published.map((m) => m.id));
    expect([...ids].sort()).toEqual(expected);
    for (const id of ids) {
      const bodies = new Set(h.published.filter((m) => m.id === id).map((m) => JSON.stringify(m)));
      expect(bodies.size).toBe(1);
    }
    const [inbox] = (await h.dataSource.query(`SELECT count(*)::int AS "n" FROM "contacts"."inbox"`)) as {
      n: number;
    }[];
    expect(inbox?.n).toBe(12);
  });
});
