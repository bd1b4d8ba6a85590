import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Parser } from '@asyncapi/parser';
import { parse } from 'yaml';
import { EventValidator, loadEventContract } from '@mash/connectors';
import { AGENCY_FAMILIES, checkMessage, messageJsonSchema, notificationMessageSchema } from '@mash/schema';
import { ASYNCAPI_PATH } from './lib/contract/asyncapi';
import { breakingChanges, contractDrift } from './lib/contract/compatibility';
import { CONNECTING_DOC_PATH } from './lib/contract/connecting-doc';
import { contractFiles } from './lib/contract/files';
import { repoRoot } from './lib/repo-root';

const committed = (relative: string): string | undefined => {
  try {
    return readFileSync(path.join(repoRoot(), relative), 'utf8');
  } catch {
    return undefined;
  }
};

describe('the published contract files', () => {
  it('schema/asyncapi.yaml and docs/CONNECTING.md are generated from schema/events (run npm run asyncapi when this fails)', async () => {
    const stale = Object.entries(contractFiles())
      .filter(([relative, content]) => committed(relative) !== content)
      .map(([relative]) => relative);
    if (stale.length > 0) {
      throw new Error(
        `${stale.join(' and ')} stale or missing: run \`npm run asyncapi\` and commit the result.`,
      );
    }
  });

  it('is a valid AsyncAPI 3.0 document for the AsyncAPI parser, with no errors or warnings', async () => {
    const { document, diagnostics } = await new Parser().parse(committed(ASYNCAPI_PATH) ?? '');
    // Severity 0 is an error, 1 a warning; 2 and 3 are information and hints (such as "3.1.0 exists").
    const problems = diagnostics
      .filter((d) => d.severity <= 1)
      .map((d) => `${d.path.join('/')}: ${d.message}`);
    expect(problems).toEqual([]);
    expect(document?.version()).toBe('3.0.0');
  });

  it('has a channel per family topic and dead-letter topic, and a message per event type whose example the connector accepts', async () => {
    const document = parse(committed(ASYNCAPI_PATH) ?? '') as {
      channels: Record<string, { address: string }>;
      components: { messages: Record<string, { examples?: { payload: unknown }[]; bindings: unknown }> };
    };
    const contract = loadEventContract();
    const addresses = Object.values(document.channels).map((c) => c.address);
    for (const family of new Set(contract.types.map((t) => t.family))) {
      expect(addresses).toEqual(
        expect.arrayContaining([`mash.agency.${family}.{sourceSystem}.v1`, `mash.dlq.${family}.v1`]),
      );
    }
    const validator = EventValidator.load();
    for (const type of contract.types) {
      const message = document.components.messages[type.type];
      expect(message?.bindings).toEqual({ kafka: expect.objectContaining({ key: expect.any(Object) }) });
      expect(message?.examples?.length).toBeGreaterThan(0);
      for (const example of message?.examples ?? []) {
        expect(validator.validate(Buffer.from(JSON.stringify(example.payload)))).toEqual(
          expect.objectContaining({ ok: true }),
        );
      }
    }
  });

  it('has the notifications channel, whose message names every field of its example and allows no other', () => {
    const document = parse(committed(ASYNCAPI_PATH) ?? '') as {
      channels: Record<string, { address: string }>;
      components: {
        schemas: Record<string, { required: string[]; additionalProperties: boolean; properties: object }>;
        messages: Record<string, { examples: { payload: Record<string, unknown> }[] }>;
      };
    };
    expect(document.channels['notifications']?.address).toBe('mash.notifications.v1');
    const schema = document.components.schemas['notification']!;
    const example = document.components.messages['notification']!.examples[0]!.payload;
    expect(schema.additionalProperties).toBe(false);
    expect([...schema.required].sort()).toEqual(Object.keys(example).sort());
    expect(Object.keys(schema.properties).sort()).toEqual(Object.keys(example).sort());
  });

  it('takes the notification schema from the zod schema the platform validates notifications with', () => {
    const document = parse(committed(ASYNCAPI_PATH) ?? '') as {
      components: {
        schemas: Record<string, { required: string[]; properties: Record<string, { type?: string }> }>;
        messages: Record<string, { examples: { payload: unknown }[] }>;
      };
    };
    const generated = messageJsonSchema(notificationMessageSchema, 'output') as {
      required: string[];
      properties: Record<string, { type?: string }>;
    };
    const schema = document.components.schemas['notification']!;
    expect(schema.required).toEqual(generated.required);
    expect(Object.entries(schema.properties).map(([k, v]) => [k, v.type])).toEqual(
      Object.entries(generated.properties).map(([k, v]) => [k, v.type]),
    );
    const example = document.components.messages['notification']!.examples[0]!.payload;
    expect(checkMessage(notificationMessageSchema, example)).toEqual({ ok: true, message: example });
  });

  it('CONNECTING.md names every type, topic and dead-letter code, and links ERRORS.md', () => {
    const doc = committed(CONNECTING_DOC_PATH) ?? '';
    for (const type of loadEventContract().types) {
      expect(doc).toContain(`### \`${type.type}\``);
      expect(doc).toContain(`npx mash-connect send --sample ${type.type}`);
    }
    for (const code of [
      'EVENT_NOT_JSON',
      'EVENT_DATA_INVALID',
      'EVENT_SOURCE_UNKNOWN',
      'EVENT_SOURCE_MISMATCH',
    ]) {
      expect(doc).toContain(`\`${code}\``);
    }
    expect(doc).toContain('(ERRORS.md)');
    expect(
      AGENCY_FAMILIES.filter((f) => doc.includes(`mash.agency.${f}.{sourceSystem}.v1`)).length,
    ).toBeGreaterThan(0);
  });
});

describe('contract evolution', () => {
  it('no published schema changed incompatibly, and every schema is published (npm run contract:publish)', () => {
    const drift = contractDrift();
    expect(drift.breaking).toEqual({});
    expect(drift.removed).toEqual([]);
    expect(drift.unpublished).toEqual([]);
  });

  const published = {
    type: 'object',
    required: ['subject', 'level'],
    additionalProperties: false,
    properties: {
      subject: { type: 'string', minLength: 3, maxLength: 40 },
      level: { type: 'string', enum: ['standard', 'medium', 'high'] },
      score: { type: 'integer', minimum: 0, maximum: 27 },
      ref: { type: 'string' },
    },
  };
  const changed = (edit: (s: typeof published) => unknown) =>
    breakingChanges(published, edit(structuredClone(published)) as Record<string, unknown>);

  it('passes additive changes: a new optional property, new enum values, wider bounds, new descriptions', () => {
    expect(
      changed((s) => ({
        ...s,
        description: 'now described',
        properties: {
          ...s.properties,
          level: { type: 'string', enum: ['standard', 'medium', 'high', 'very-high'] },
          score: { type: 'integer', minimum: 0, maximum: 40 },
          extra: { type: 'boolean' },
        },
      })),
    ).toEqual([]);
  });

  it('fails a new required field', () => {
    expect(changed((s) => ({ ...s, required: [...s.required, 'score'] }))).toEqual([
      '/: "score" is newly required',
    ]);
  });

  it('fails a removed property', () => {
    expect(changed((s) => ({ ...s, properties: (({ ref: _ref, ...rest }) => rest)(s.properties) }))).toEqual([
      '/: property "ref" was removed',
    ]);
  });

  it('fails a narrowed enum, a narrowed type and tighter bounds', () => {
    expect(
      changed((s) => ({
        ...s,
        properties: {
          ...s.properties,
          level: { type: 'string', enum: ['standard', 'high'] },
          score: { type: 'string' },
          subject: { type: 'string', minLength: 5, maxLength: 40 },
        },
      })),
    ).toEqual([
      '/properties/subject: minLength raised to 5',
      '/properties/level: enum no longer allows "medium"',
      '/properties/score: type narrowed from ["integer"] to ["string"]',
    ]);
  });

  it('fails a new pattern or format it cannot judge', () => {
    expect(
      changed((s) => ({
        ...s,
        properties: { ...s.properties, ref: { type: 'string', pattern: '^[A-Z]+$' } },
      })),
    ).toEqual(['/properties/ref: pattern added']);
  });
});
