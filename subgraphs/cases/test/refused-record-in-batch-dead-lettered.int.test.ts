import { POLICE_ID, statusChange, keyOf } from '@test/support/fixtures/cases';
import { casesOnBroker } from '@test/support/fixtures/cases-harness';
import { eventually } from '@test/support/gateway-client';
import { DeadLetterHeaders } from '@mash/schema';

// Integration: the real cases service on a real Kafka broker and a throwaway Postgres database with the real
// migrations and the demo data.

describe('a status change Postgres refuses, in the middle of a batch', () => {
  const h = casesOnBroker();

  it('is dead-lettered with EVENT_DATA_REFUSED and the changes around it are applied in order', async () => {
    const at = (minutes: number) => new Date(Date.now() - 60 * 60_000 + minutes * 60_000).toISOString();
    const changes = [
      statusChange(POLICE_ID, { threshold: 'early-help' }, { occurredAt: at(1) }),
      statusChange(POLICE_ID, { threshold: 'child-in-need' }, { occurredAt: at(2) }),
      // Year 0 is an RFC 3339 timestamp the message schema accepts (1 BC, proleptic Gregorian), but Postgres refuses
      // it. (30 February, which Date.parse accepts, no longer reaches Postgres: the schema refuses it.)
      statusChange(POLICE_ID, { threshold: 'none' }, { occurredAt: '0000-01-01T10:00:00Z' }),
      statusChange(POLICE_ID, { threshold: 'child-protection' }, { occurredAt: at(3) }),
      statusChange(POLICE_ID, { threshold: 'child-in-need' }, { occurredAt: at(4) }),
    ];
    // One send: the five records land in one partition together and are fetched as one batch.
    await h.publish(...changes);

    const applied = [changes[0]!, changes[1]!, changes[3]!, changes[4]!];
    await h.caseEventFor(changes[4]!.id);
    const letter = await eventually(async () => h.deadLetters[0], { what: 'the dead letter' });
    expect(letter.key).toBe(keyOf(changes[2]!));
    expect(JSON.parse(letter.value)).toMatchObject({ id: changes[2]!.id });
    expect(letter.headers[DeadLetterHeaders.code]?.toString()).toBe('EVENT_DATA_REFUSED');
    expect(letter.headers[DeadLetterHeaders.reason]?.toString()).toMatch(/SQLSTATE 22008/);
    expect(letter.headers[DeadLetterHeaders.reason]?.toString()).not.toContain('0000-01-01');

    // Every other change made exactly one case event, in the order published, each with the position after it.
    const ids = applied.map((c) => c.id);
    const events = h.caseEvents.filter((e) => ids.includes(e.statusChange.id));
    expect(events.map((e) => e.statusChange.id)).toEqual(ids);
    const police = (i: number) =>
      events[i]!.case.positions.find((p) => p.agencyId === changes[0]!.agencyId)?.threshold;
    expect([0, 1, 2, 3].map(police)).toEqual([
      'early-help',
      'child-in-need',
      'child-protection',
      'child-in-need',
    ]);
    expect(h.caseEvents.some((e) => e.statusChange.id === changes[2]!.id)).toBe(false);

    // A replay of the whole batch changes nothing and publishes nothing more.
    await h.publish(...applied);
    const marker = statusChange(POLICE_ID, { threshold: 'child-in-need' }, { occurredAt: at(5) });
    await h.publish(marker);
    await h.caseEventFor(marker.id);
    expect(h.caseEvents.filter((e) => ids.includes(e.statusChange.id))).toHaveLength(4);
  });

  it('applies a change the batch holds twice once, the second record being a replay', async () => {
    const at = (minutes: number) => new Date(Date.now() - 30 * 60_000 + minutes * 60_000).toISOString();
    const first = statusChange(POLICE_ID, { threshold: 'early-help' }, { occurredAt: at(1) });
    const second = statusChange(POLICE_ID, { threshold: 'child-protection' }, { occurredAt: at(2) });
    // One send: the records land in one partition together and are fetched as one batch.
    await h.publish(first, first, second, first);
    await h.caseEventFor(second.id);
    const marker = statusChange(POLICE_ID, { threshold: 'child-in-need' }, { occurredAt: at(3) });
    await h.publish(marker);
    await h.caseEventFor(marker.id);
    expect(
      h.caseEvents
        .filter((e) => [first.id, second.id].includes(e.statusChange.id))
        .map((e) => [
          e.statusChange.id,
          e.case.positions.find((p) => p.agencyId === first.agencyId)?.threshold,
        ]),
    ).toEqual([
      [first.id, 'early-help'],
      [second.id, 'child-protection'],
    ]);
  });
});
