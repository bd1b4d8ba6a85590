import { createCloudEvent } from '../runtime/cloudevent';
import { mapperFor } from '../runtime/family';
import { identifiersInSummary } from '../runtime/summary-rule';
import { EventValidator } from '../runtime/validation';
import { HEALTH_EVENT_TYPES } from './events';
import { healthFamily } from './family';

const subject = { system: 'nhs-number', value: '9434765919' } as const;
const type = HEALTH_EVENT_TYPES.appointmentNotAttended;
const validator = EventValidator.load();

const event = (data: object) => createCloudEvent({ sourceSystem: 'bucks-rio', type, data });

function map(data: object) {
  const mapper = mapperFor(healthFamily, type);
  if (!mapper) throw new Error('no mapper');
  return mapper(event(data));
}

const appointment = (wasNotBrought: boolean, service: string) => ({
  subject,
  appointmentRef: 'APT-20251119-0042',
  appointmentAt: '2025-11-19T09:40:00Z',
  wasNotBrought,
  service,
});

describe('health family', () => {
  it.each([
    [
      'a child not brought',
      appointment(true, 'paediatrics'),
      'was-not-brought',
      'Child was not brought to a paediatrics appointment',
    ],
    [
      'a patient who did not attend',
      appointment(false, 'outpatients'),
      'did-not-attend',
      'Did not attend an outpatient appointment',
    ],
  ])(
    'maps %s to an appointment-not-attended change dated at the appointment',
    (_, data, attendance, summary) => {
      const mapped = map(data);
      expect(mapped).toEqual({
        subject,
        kind: 'appointment-not-attended',
        facts: { appointment: { attendance }, reference: 'APT-20251119-0042' },
        summary,
        occurredAt: '2025-11-19T09:40:00.000Z',
      });
      expect(identifiersInSummary(mapped.summary, data)).toEqual([]);
    },
  );

  it("carries the other identifiers of the health record (the local authority's person id)", () => {
    const other = { system: 'la-person-id', value: 'LCS-448812' } as const;
    expect(map({ ...appointment(true, 'gp'), otherIdentifiers: [other] }).otherIdentifiers).toEqual([other]);
  });

  it.each([
    [
      'a UPN with a wrong check letter among the other identifiers',
      { ...appointment(true, 'gp'), otherIdentifiers: [{ system: 'upn', value: 'A801200005001' }] },
      '/data/otherIdentifiers/0/value: must match format "upn"',
    ],
    [
      'more than eight other identifiers',
      {
        ...appointment(true, 'gp'),
        otherIdentifiers: Array.from({ length: 9 }, (_, i) => ({
          system: 'la-person-id',
          value: `LCS-${i}00`,
        })),
      },
      '/data/otherIdentifiers: must NOT have more than 8 items',
    ],
  ])('rejects %s as EVENT_DATA_INVALID', (_, data, reason) => {
    const result = validator.validate(Buffer.from(JSON.stringify(event(data))));
    expect(result).toEqual({ ok: false, code: 'EVENT_DATA_INVALID', reason, envelope: expect.any(Object) });
  });
});
