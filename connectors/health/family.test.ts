import { createCloudEvent } from '../runtime/cloudevent';
import { mapperFor } from '../runtime/family';
import { HEALTH_EVENT_TYPES } from './events';
import { healthFamily } from './family';

const subject = { system: 'nhs-number', value: '9434765919' } as const;

function map(data: object) {
  const mapper = mapperFor(healthFamily, HEALTH_EVENT_TYPES.appointmentNotAttended);
  if (!mapper) throw new Error('no mapper');
  return mapper(
    createCloudEvent({ sourceSystem: 'bucks-rio', type: HEALTH_EVENT_TYPES.appointmentNotAttended, data }),
  );
}

describe('health family', () => {
  it('maps a child not brought to an appointment-not-attended change dated at the appointment', () => {
    expect(
      map({
        subject,
        appointmentRef: 'APT-20251119-0042',
        appointmentAt: '2025-11-19T09:40:00Z',
        wasNotBrought: true,
        service: 'paediatrics',
      }),
    ).toEqual({
      subject,
      kind: 'appointment-not-attended',
      facts: { reference: 'APT-20251119-0042' },
      summary: 'Child was not brought to a paediatrics appointment',
      occurredAt: '2025-11-19T09:40:00.000Z',
    });
  });

  it('says "did not attend" when the patient themselves missed it', () => {
    const mapped = map({
      subject,
      appointmentRef: 'APT-1',
      appointmentAt: '2025-11-19T09:40:00Z',
      wasNotBrought: false,
      service: 'outpatients',
    });
    expect(mapped.summary).toBe('Did not attend an outpatient appointment');
  });
});
