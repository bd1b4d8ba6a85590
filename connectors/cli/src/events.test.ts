import { EventValidator } from '@mash/connectors';
import { eventContract, eventKey, sampleEvent } from './events';

describe('samples of mash-connect send --sample', () => {
  const validator = EventValidator.load();

  it.each(eventContract().types.map((t) => [t.type, t.family] as const))(
    "%s: the schema's example from the %s family's demo source, valid and keyed by its subject",
    (type) => {
      const event = sampleEvent(type, { id: 'sample-1' });
      expect(validator.validate(Buffer.from(JSON.stringify(event)))).toEqual({ ok: true, event });
      // A FHIR resource names its patient by reference (the examples' patient has NHS number 9434765919).
      const data = event.data as { resourceType?: string; subject?: { value: string } };
      expect(eventKey(event)).toBe(data.resourceType ? '9434765919' : data.subject?.value);
    },
  );

  it("sends education's samples as the demo school system, keyed by the pupil's UPN", () => {
    const event = sampleEvent('uk.mash.education.suspension-or-exclusion.v1');
    expect(event.source).toBe('urn:mash:source:mk-cpoms');
    expect(eventKey(event)).toBe('B801200005001');
  });
});
