import { Kafka, type Producer } from 'kafkajs';
import { caseEvent, position, LA, POLICE } from '@test/support/fixtures/escalations';
import { escalationsOnBroker } from '@test/support/fixtures/escalations-harness';
import { deadLettersOn } from '@test/support/dead-letters';
import { testKafkaConfig } from '@test/support/kafka';

// Integration, on the real broker and database: a case event that is not one (a position dated a day that does
// not exist, which Date.parse accepts) goes to the case-events dead-letter topic with its code and the failing
// path, and the case event behind it in the same partition is applied.

describe('a malformed case event is dead-lettered and the partition carries on', () => {
  const h = escalationsOnBroker('2026-06-01T09:00:00.000Z');
  const kafka = new Kafka(testKafkaConfig('escalations-malformed-test'));
  let producer: Producer;
  beforeAll(async () => {
    producer = kafka.producer();
    await producer.connect();
  });
  afterAll(async () => producer?.disconnect());

  it('dead-letters it with EVENT_DATA_INVALID and the path, then applies the next case event', async () => {
    const caseId = '7d1f0c4e-0000-4000-8000-0000000000d1';
    const bad = caseEvent(caseId, 'sc-bad-date', POLICE, 'protection-notice', {}, [
      position(POLICE, { threshold: 'child-protection', asOf: '2026-02-30T10:00:00Z' }),
    ]);
    const next = caseEvent(caseId, 'sc-next', LA, 'referral-outcome', { threshold: 'child-in-need' }, [
      position(POLICE, { threshold: 'child-protection' }),
      position(LA, { threshold: 'child-in-need' }),
    ]);
    const badValue = JSON.stringify(bad);
    await producer.send({
      topic: h.names.caseEvents,
      messages: [
        { key: caseId, value: badValue },
        { key: caseId, value: JSON.stringify(next) },
      ],
    });
    await h.caughtUp();

    const [letter, ...more] = await deadLettersOn(h.names.internalDeadLetter('case-events'), 1);
    expect(more).toEqual([]);
    expect(letter).toEqual({
      key: caseId,
      value: badValue,
      code: 'EVENT_DATA_INVALID',
      reason:
        'not a case event: case.positions[0].asOf must be an RFC 3339 timestamp that exists in the calendar',
      sourceTopic: h.names.caseEvents,
      sourceOffset: expect.stringMatching(/^\d+$/),
    });
    const rows = (await h.service.dataSource.query(
      `SELECT "snapshot" FROM "escalations"."case_snapshot" WHERE "case_id" = $1`,
      [caseId],
    )) as { snapshot: { positions: { agencyId: string }[] } }[];
    expect(rows.map((r) => r.snapshot.positions.map((p) => p.agencyId))).toEqual([[POLICE, LA]]);
  });
});
