import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { eventSchemaDirectory } from '@mash/schema';
import { createCloudEvent } from './cloudevent';
import { ENVELOPE_SCHEMA_FILE, EventValidator } from './validation';

const validator = EventValidator.load();

const bytes = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value));

const protectionNotice = (data: Record<string, unknown> = {}) =>
  createCloudEvent({
    sourceSystem: 'tvp-niche',
    type: 'uk.mash.police.protection-notice.v1',
    id: 'evt-1',
    time: '2025-11-20T14:05:00Z',
    data: {
      subject: { system: 'police-person-id', value: 'NICHE-7730142' },
      bragRating: 'red',
      childrenPresent: true,
      incidentRef: 'TVP-2025-114223',
      ...data,
    },
  });

function failure(value: Buffer | null) {
  const result = validator.validate(value);
  if (result.ok) throw new Error('expected the event to be rejected');
  return result;
}

describe('EventValidator', () => {
  it('loads one schema per event type besides the envelope', () => {
    const files = readdirSync(eventSchemaDirectory).filter((f) => f !== ENVELOPE_SCHEMA_FILE);
    expect(validator.types).toEqual(files.map((f) => f.replace(/\.schema\.json$/, '')).sort());
    expect(validator.types).toEqual(
      expect.arrayContaining([
        'uk.mash.police.strategy-discussion-view.v1',
        'uk.mash.police.protection-notice.v1',
        'uk.mash.police.dash-assessment.v1',
        'uk.mash.la-children.referral-outcome.v1',
        'uk.mash.la-children.case-closed.v1',
        'uk.mash.health.appointment-not-attended.v1',
      ]),
    );
  });

  it('accepts the example in every published schema', () => {
    for (const type of validator.types) {
      const schema = JSON.parse(
        readFileSync(path.join(eventSchemaDirectory, `${type}.schema.json`), 'utf8'),
      ) as {
        examples: unknown[];
      };
      expect(schema.examples.length).toBeGreaterThan(0);
      for (const data of schema.examples) {
        const result = validator.validate(bytes(createCloudEvent({ sourceSystem: 'x', type, data })));
        expect({ type, result }).toEqual({ type, result: expect.objectContaining({ ok: true }) });
      }
    }
  });

  it('accepts the example in the envelope schema', () => {
    const envelope = JSON.parse(
      readFileSync(path.join(eventSchemaDirectory, ENVELOPE_SCHEMA_FILE), 'utf8'),
    ) as {
      examples: unknown[];
    };
    for (const example of envelope.examples) expect(validator.validate(bytes(example)).ok).toBe(true);
  });

  it('returns the parsed event when it is valid', () => {
    const event = protectionNotice();
    const result = validator.validate(bytes(event));
    expect(result).toEqual({ ok: true, event });
  });

  it('accepts extension attributes and leaves out optional envelope attributes', () => {
    const { dataschema: _dataschema, ...event } = protectionNotice();
    expect(validator.validate(bytes({ ...event, traceparent: '00-abc-def-01', partitionkey: 'k' })).ok).toBe(
      true,
    );
  });

  describe('rejects as EVENT_NOT_JSON', () => {
    it('a record with no value', () => {
      expect(failure(null)).toEqual({
        ok: false,
        code: 'EVENT_NOT_JSON',
        reason: 'the message has no value',
        issues: [{ field: '/', rule: 'json', message: 'the message has no value' }],
      });
      expect(failure(Buffer.alloc(0)).code).toBe('EVENT_NOT_JSON');
    });

    it('a value that is not UTF-8', () => {
      expect(failure(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]))).toMatchObject({
        code: 'EVENT_NOT_JSON',
        reason: 'the message value is not UTF-8 text',
      });
    });

    it('broken JSON, without quoting the input back', () => {
      const result = failure(bytes('{"specversion":"1.0","id": John Smith}'));
      expect(result.code).toBe('EVENT_NOT_JSON');
      expect(result.reason).toMatch(/^the message value is not JSON: /);
      expect(result.reason).not.toContain('Smith');
    });
  });

  describe('rejects as EVENT_ENVELOPE_INVALID', () => {
    it('a JSON value that is not an object', () => {
      expect(failure(bytes('[1,2]'))).toEqual({
        ok: false,
        code: 'EVENT_ENVELOPE_INVALID',
        reason: '/: must be object',
        issues: [{ field: '/', rule: 'type', message: 'must be object' }],
      });
    });

    it('missing required attributes, naming each', () => {
      const { id: _id, data: _data, ...event } = protectionNotice();
      const result = failure(bytes(event));
      expect(result.code).toBe('EVENT_ENVELOPE_INVALID');
      expect(result.reason).toContain("/: must have required property 'id'");
      expect(result.reason).toContain("/: must have required property 'data'");
    });

    it('another spec version', () => {
      expect(failure(bytes({ ...protectionNotice(), specversion: '0.3' }))).toMatchObject({
        code: 'EVENT_ENVELOPE_INVALID',
        reason: '/specversion: must be "1.0"',
      });
    });

    it('a source that is not urn:mash:source:<code>', () => {
      const result = failure(bytes({ ...protectionNotice(), source: 'https://tvp.example/niche' }));
      expect(result.code).toBe('EVENT_ENVELOPE_INVALID');
      expect(result.reason).toMatch(/^\/source: must match pattern/);
    });

    it('a time without a time zone', () => {
      expect(failure(bytes({ ...protectionNotice(), time: '2025-11-20T14:05:00' }))).toMatchObject({
        code: 'EVENT_ENVELOPE_INVALID',
        reason: '/time: must match format "date-time"',
      });
    });

    it('data_base64 instead of JSON data', () => {
      const { data: _data, ...event } = protectionNotice();
      const result = failure(bytes({ ...event, data_base64: 'e30=' }));
      expect(result.reason).toContain('/: property name "data_base64" must match pattern');
      expect(result.reason).toContain("/: must have required property 'data'");
    });

    it('data that is not an object', () => {
      expect(failure(bytes({ ...protectionNotice(), data: 'text' }))).toMatchObject({
        code: 'EVENT_ENVELOPE_INVALID',
        reason: '/data: must be object',
      });
    });

    it('a dataschema that names another schema', () => {
      const event = {
        ...protectionNotice(),
        dataschema: 'urn:mash:schema:uk.mash.police.dash-assessment.v1',
      };
      expect(failure(bytes(event))).toMatchObject({
        code: 'EVENT_ENVELOPE_INVALID',
        reason:
          '/dataschema: must be "urn:mash:schema:uk.mash.police.protection-notice.v1" for type "uk.mash.police.protection-notice.v1" (or be left out)',
      });
    });
  });

  describe('rejects as EVENT_TYPE_UNKNOWN', () => {
    it('a type with no published schema', () => {
      const { dataschema: _d, ...event } = protectionNotice();
      expect(failure(bytes({ ...event, type: 'uk.mash.police.protection-notice.v9' }))).toEqual({
        ok: false,
        code: 'EVENT_TYPE_UNKNOWN',
        reason: 'no JSON Schema is published for type "uk.mash.police.protection-notice.v9"',
        issues: [
          {
            field: '/type',
            rule: 'published-type',
            message: 'no JSON Schema is published for type "uk.mash.police.protection-notice.v9"',
          },
        ],
        envelope: { source: 'urn:mash:source:tvp-niche', type: 'uk.mash.police.protection-notice.v9' },
      });
    });

    it('a type that names an object property rather than a schema', () => {
      const { dataschema: _d, ...event } = protectionNotice();
      expect(failure(bytes({ ...event, type: 'constructor' })).code).toBe('EVENT_TYPE_UNKNOWN');
    });
  });

  describe('rejects as EVENT_DATA_INVALID', () => {
    it('a misspelt property, naming it', () => {
      const event = protectionNotice({ bragRating: undefined, bragRatng: 'red' });
      const result = failure(bytes(event));
      expect(result.code).toBe('EVENT_DATA_INVALID');
      expect(result.reason).toBe(
        `/data: must have required property 'bragRating'; /data: unknown property "bragRatng"`,
      );
    });

    it('gives each issue as its field and rule, a missing property at its own path, an unknown one at its parent', () => {
      const event = protectionNotice({ bragRating: undefined, bragRatng: 'red' });
      expect(failure(bytes(event)).issues).toEqual([
        { field: '/data/bragRating', rule: 'required', message: "must have required property 'bragRating'" },
        { field: '/data', rule: 'additionalProperties', message: 'unknown property "bragRatng"' },
      ]);
    });

    it('never puts a value in an issue field', () => {
      const event = protectionNotice({ subject: { system: 'police-person-id', value: 'john smith' } });
      const { issues } = failure(bytes(event));
      expect(issues.map(({ field, rule }) => ({ field, rule }))).toEqual([
        { field: '/data/subject/value', rule: 'pattern' },
      ]);
      expect(JSON.stringify(issues)).not.toContain('john');
    });

    it('a value outside the enumeration, listing the allowed values', () => {
      expect(failure(bytes(protectionNotice({ bragRating: 'purple' })))).toMatchObject({
        code: 'EVENT_DATA_INVALID',
        reason: '/data/bragRating: must be one of "red", "amber", "green", "blue"',
      });
    });

    it("an identifier system that is not the family's", () => {
      const event = protectionNotice({ subject: { system: 'nhs-number', value: 'NICHE-7730142' } });
      expect(failure(bytes(event)).reason).toBe('/data/subject/system: must be one of "police-person-id"');
    });

    it('a malformed identifier, without quoting it', () => {
      const event = protectionNotice({ subject: { system: 'police-person-id', value: 'john smith' } });
      const result = failure(bytes(event));
      expect(result.reason).toMatch(/^\/data\/subject\/value: must match pattern/);
      expect(result.reason).not.toContain('john');
    });

    it('a DASH score above 27', () => {
      const event = createCloudEvent({
        sourceSystem: 'tvp-niche',
        type: 'uk.mash.police.dash-assessment.v1',
        data: { subject: { system: 'police-person-id', value: 'NICHE-1' }, score: 28, level: 'high' },
      });
      expect(failure(bytes(event))).toMatchObject({
        code: 'EVENT_DATA_INVALID',
        reason: '/data/score: must be <= 27',
      });
    });

    it('an NHS number whose check digit is wrong', () => {
      const event = createCloudEvent({
        sourceSystem: 'bucks-rio',
        type: 'uk.mash.health.appointment-not-attended.v1',
        data: {
          subject: { system: 'nhs-number', value: '9434765918' },
          appointmentRef: 'APT-1',
          appointmentAt: '2025-11-19T09:40:00Z',
          wasNotBrought: true,
          service: 'paediatrics',
        },
      });
      expect(failure(bytes(event))).toMatchObject({
        code: 'EVENT_DATA_INVALID',
        reason: '/data/subject/value: must match format "nhs-number"',
      });
    });

    it('lists at most five problems and counts the rest', () => {
      const event = createCloudEvent({
        sourceSystem: 'mk-lcs',
        type: 'uk.mash.la-children.referral-outcome.v1',
        data: { a: 1, b: 2, c: 3, d: 4, e: 5, f: 6 },
      });
      const result = failure(bytes(event));
      expect(result.reason.split('; ')).toHaveLength(6);
      expect(result.reason).toMatch(/; and \d+ more$/);
    });
  });
});
