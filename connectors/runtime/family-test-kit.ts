import type { CloudEvent } from '@mash/schema';
import { createCloudEvent } from './cloudevent';
import { mapperFor, type FamilyDefinition, type MappedStatusChange } from './family';
import { EventValidator, type ValidationResult } from './validation';

type Rejected = Extract<ValidationResult, { ok: false }>;

/** What a family's mapping tests need: its events as a source system sends them, validated and mapped. */
export interface FamilyTestKit {
  /** The event as `sourceSystem` publishes it at `time`. */
  event(type: string, data: object): CloudEvent;
  /** The event's status change, through the family's mapper (throws when the type has none). */
  map(type: string, data: object): MappedStatusChange;
  /** The connector's verdict on the event's bytes. */
  validate(type: string, data: object): ValidationResult;
  /** The code and reason the connector rejects the event with (throws when it is accepted). */
  rejection(type: string, data: object): { code: Rejected['code']; reason: string };
}

/** For family tests: one source system's events of a family, all stamped with the same envelope time. */
export function familyTestKit(
  definition: FamilyDefinition,
  sourceSystem: string,
  time: string,
): FamilyTestKit {
  const validator = EventValidator.load();
  const event = (type: string, data: object) => createCloudEvent({ sourceSystem, type, data, time });
  const validate = (type: string, data: object) =>
    validator.validate(Buffer.from(JSON.stringify(event(type, data))));
  return {
    event,
    validate,
    map(type, data) {
      const mapper = mapperFor(definition, type);
      if (!mapper) throw new Error(`no mapper for ${type}`);
      return mapper(event(type, data));
    },
    rejection(type, data) {
      const result = validate(type, data);
      if (result.ok) throw new Error('expected the event to be rejected');
      return { code: result.code, reason: result.reason };
    },
  };
}
