import { POLICE_ID, statusChange, keyOf } from '@test/support/fixtures/cases';
import { casesOnBroker } from '@test/support/fixtures/cases-harness';
import { eventually } from '@test/support/gateway-client';
import { DeadLetterHeaders } from '@mash/schema';
import { type IHeaders } from 'kafkajs';

// Integration: the real cases service on a real Kafka broker and a throwaway Postgres database with the real
// migrations and the demo data.

describe('a malformed status-change record is dead-lettered with its reason', () => {
  const h = casesOnBroker();

  it('dead-letters malformed records with their reasons and still processes the next one', async () => {
    const next = statusChange(POLICE_ID, { threshold: 'child-in-need' });
    const key = keyOf(next);
    await h.producer.send({
      topic: h.names.statusChanges,
      messages: [
        { key, value: '{"this is": not json' },
        {
          key,
          value: JSON.stringify({ ...next, id: 'not-a-uuid', subject: { system: 'shoe-size', value: '9' } }),
        },
        // A day that does not exist, which Date.parse accepts: refused by the schema, not by Postgres.
        { key, value: JSON.stringify({ ...next, occurredAt: '2026-02-30T10:00:00Z' }) },
        { key, value: JSON.stringify(next) },
      ],
    });

    await h.caseEventFor(next.id);
    const letters = await eventually(async () => (h.deadLetters.length >= 3 ? h.deadLetters : undefined), {
      what: 'three dead letters',
    });
    const header = (h: IHeaders, name: string) => h[name]?.toString();
    const [notJson, notAChange, noSuchDay] = letters;
    expect(notJson?.value).toBe('{"this is": not json');
    expect(notJson?.key).toBe(key);
    expect(header(notJson!.headers, DeadLetterHeaders.code)).toBe('EVENT_NOT_JSON');
    expect(header(notJson!.headers, DeadLetterHeaders.reason)).toMatch(/not JSON/);
    // The reason names the problem, never the value (V8 quotes the input in its own message).
    expect(header(notJson!.headers, DeadLetterHeaders.reason)).not.toContain('this is');
    expect(header(notJson!.headers, DeadLetterHeaders.sourceTopic)).toBe(h.names.statusChanges);
    expect(header(notJson!.headers, DeadLetterHeaders.sourceOffset)).toMatch(/^\d+$/);
    expect(header(notAChange!.headers, DeadLetterHeaders.code)).toBe('EVENT_DATA_INVALID');
    expect(header(notAChange!.headers, DeadLetterHeaders.reason)).toBe(
      'not a status change: id must be a UUID; subject.system must be one of nhs-number, la-person-id, police-person-id, upn',
    );
    expect(header(noSuchDay!.headers, DeadLetterHeaders.code)).toBe('EVENT_DATA_INVALID');
    expect(header(noSuchDay!.headers, DeadLetterHeaders.reason)).toBe(
      'not a status change: occurredAt must be an RFC 3339 timestamp that exists in the calendar',
    );
    expect(letters).toHaveLength(3);
  });
});
