import { Client } from 'pg';
import { freshIdentifiers, keyOf, statusChange } from '@test/support/fixtures/cases';
import { casesOnBroker, registerSubject } from '@test/support/fixtures/cases-harness';

// Integration: the real cases service on a real Kafka broker and a throwaway Postgres database. One subject's
// changes from two agencies arrive on two partitions, so two runs can share a subject. A run applies the changes of
// the subjects no one else holds at once, and those of a held subject, in order, once it is let go.

describe('a run of status changes and a subject another transaction holds', () => {
  const h = casesOnBroker();
  const identifierOwners = async (value: string): Promise<string[]> => {
    const client = new Client({ connectionString: h.databaseUrl });
    await client.connect();
    try {
      const { rows } = await client.query<{ subject_id: string }>(
        `SELECT "subject_id" FROM "cases"."subject_identifier" WHERE "system" = 'nhs-number' AND "value" = $1`,
        [value],
      );
      return rows.map((r) => r.subject_id);
    } finally {
      await client.end();
    }
  };

  it('applies the changes of the free subjects at once and the held subject’s, in order, once it is let go', async () => {
    const held = freshIdentifiers();
    const free = freshIdentifiers();
    const heldId = await registerSubject(h.cases.url, 'Child H', [held.policePersonId]);
    await registerSubject(h.cases.url, 'Child F', [free.policePersonId]);
    const at = (minute: number) => new Date(Date.UTC(2026, 10, 2, 9, minute)).toISOString();
    const heldFirst = statusChange(
      held.policePersonId,
      { threshold: 'early-help' },
      { occurredAt: at(0), receivedAt: at(0) },
    );
    const freeChange = statusChange(
      free.policePersonId,
      { threshold: 'child-protection' },
      { occurredAt: at(1), receivedAt: at(1) },
    );
    // It also brings another identifier of the subject's, recorded with it (not before).
    const heldSecond = statusChange(
      held.policePersonId,
      { threshold: 'child-protection' },
      { occurredAt: at(2), receivedAt: at(2), otherIdentifiers: [held.nhsNumber] },
    );

    // Another transaction (as another run applying a change of the same subject would) holds the subject's row.
    const other = new Client({ connectionString: h.databaseUrl });
    await other.connect();
    try {
      await other.query('BEGIN');
      await other.query('SELECT "id" FROM "cases"."subject" WHERE "id" = $1 FOR UPDATE', [heldId]);

      // One run: the three changes on one partition, sent together.
      await h.producer.send({
        topic: h.names.statusChanges,
        messages: [heldFirst, freeChange, heldSecond].map((m) => ({
          key: keyOf(m),
          value: JSON.stringify(m),
          partition: 0,
        })),
      });

      const freeEvent = await h.caseEventFor(freeChange.id);
      expect(freeEvent.case.positions).toContainEqual(
        expect.objectContaining({ threshold: 'child-protection', thresholdStatusChangeId: freeChange.id }),
      );
      // The held subject's changes wait for it (a moment more, to be sure they are not merely slower).
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect(h.eventsFor(heldFirst.id)).toEqual([]);
      expect(h.eventsFor(heldSecond.id)).toEqual([]);
      expect(await identifierOwners(held.nhsNumber.value)).toEqual([]);
    } finally {
      await other.query('COMMIT');
      await other.end();
    }

    const second = await h.caseEventFor(heldSecond.id);
    const first = h.eventsFor(heldFirst.id);
    expect(first).toHaveLength(1);
    // In order: the second change's snapshot holds the threshold it set, after the first.
    expect(first[0]!.case.positions).toContainEqual(
      expect.objectContaining({ threshold: 'early-help', thresholdStatusChangeId: heldFirst.id }),
    );
    expect(second.case.positions).toContainEqual(
      expect.objectContaining({ threshold: 'child-protection', thresholdStatusChangeId: heldSecond.id }),
    );
    expect(h.caseEvents.indexOf(first[0]!)).toBeLessThan(h.caseEvents.indexOf(second));
    expect(await identifierOwners(held.nhsNumber.value)).toEqual([heldId]);
    // Each change once on the timeline.
    expect(h.eventsFor(freeChange.id)).toHaveLength(1);
    expect(await h.timelineIds(second.case.id)).toEqual(
      expect.arrayContaining([heldFirst.id, heldSecond.id]),
    );
    expect(
      (await h.timelineIds(second.case.id)).filter((id) => id === heldFirst.id || id === heldSecond.id),
    ).toHaveLength(2);
  });
});
