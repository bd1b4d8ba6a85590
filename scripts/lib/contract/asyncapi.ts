import {
  familyDefinition,
  type EventContract,
  type JsonSchemaDocument,
  type PublishedEventType,
} from '@mash/connectors';
import { DeadLetterHeaders, topics, type AgencyFamily } from '@mash/schema';
import { NOTIFICATION_MESSAGE, notificationsChannel } from './notifications';

/** Where `npm run asyncapi` writes the AsyncAPI document, relative to the repository root. */
export const ASYNCAPI_PATH = 'schema/asyncapi.yaml';

const KAFKA_BINDING_VERSION = '0.5.0';
const ENVELOPE = 'cloudevent';
const DEAD_LETTER_MESSAGE = 'dead-letter';

/** The families that publish at least one type, in the order their types sort. */
export function publishingFamilies(contract: EventContract): AgencyFamily[] {
  return [...new Set(contract.types.map((t) => t.family))];
}

/** The identifier systems a family keys its records by (from its definition in the connector). */
export function keySystems(family: AgencyFamily): readonly string[] {
  return familyDefinition(family)?.identifierSystems ?? [];
}

/** The JSON Schema of a type's record key: its `data.subject.value`, when the data carries one. */
export function keySchema(type: PublishedEventType): JsonSchemaDocument {
  const subject = (type.schema['properties'] as Record<string, JsonSchemaDocument> | undefined)?.['subject'];
  const value = (subject?.['properties'] as Record<string, JsonSchemaDocument> | undefined)?.['value'];
  const description = `The agency's identifier of the subject (${keySystems(type.family).join(', ')}), the same value as in the event's data, so that one subject's events stay in order.`;
  return value ? { ...withoutMeta(value), description } : { type: 'string', description };
}

/** A published schema as an AsyncAPI Schema Object: its JSON Schema dialect and `$id` kept as extensions. */
function withoutMeta(schema: JsonSchemaDocument): Record<string, unknown> {
  const { $schema: _dialect, $id, ...rest } = schema as Record<string, unknown>;
  return $id === undefined ? rest : { 'x-schema-id': $id, ...rest };
}

/** The full CloudEvent of a type's example: the envelope's example with the type's data. */
export function exampleEvent(
  type: PublishedEventType,
  data: unknown,
  sourceSystem: string,
): Record<string, unknown> {
  return {
    specversion: '1.0',
    id: `${type.family}-example-0001`,
    source: `urn:mash:source:${sourceSystem}`,
    type: type.type,
    time: '2026-11-20T10:30:00Z',
    datacontenttype: 'application/json',
    dataschema: type.schemaId,
    data,
  };
}

export interface AsyncApiOptions {
  /** The source system code shown in examples, per family. */
  readonly exampleSources: Partial<Record<AgencyFamily, string>>;
  readonly version: string;
}

/**
 * The AsyncAPI 3.0 document of the agency event contracts: one channel per family topic and per dead-letter topic,
 * one message per event type (the CloudEvents envelope with the type's JSON Schema as `data`, its example, and the
 * record key), and the operations of the connector that reads them.
 */
export function asyncApiDocument(contract: EventContract, options: AsyncApiOptions): Record<string, unknown> {
  const names = topics();
  const families = publishingFamilies(contract);
  const channels: Record<string, unknown> = {};
  const operations: Record<string, unknown> = {};
  const messages: Record<string, unknown> = {};
  const schemas: Record<string, unknown> = { [ENVELOPE]: withoutMeta(contract.envelope) };

  for (const type of contract.types) {
    schemas[type.type] = withoutMeta(type.schema);
    const source = options.exampleSources[type.family] ?? `${type.family}-system`;
    messages[type.type] = {
      name: type.type,
      title: type.title,
      summary: type.description,
      contentType: 'application/json',
      payload: {
        allOf: [
          { $ref: `#/components/schemas/${ENVELOPE}` },
          {
            type: 'object',
            properties: {
              type: { const: type.type },
              dataschema: { const: type.schemaId },
              data: { $ref: `#/components/schemas/${type.type}` },
            },
          },
        ],
      },
      bindings: { kafka: { key: keySchema(type), bindingVersion: KAFKA_BINDING_VERSION } },
      examples: type.examples.map((data, i) => ({
        name: `example-${i + 1}`,
        summary: `${type.title}, as ${source} would send it`,
        payload: exampleEvent(type, data, source),
      })),
    };
  }
  messages[DEAD_LETTER_MESSAGE] = {
    name: DEAD_LETTER_MESSAGE,
    title: 'Rejected agency event',
    summary:
      'An event the connector could not ingest: the original key and bytes (not necessarily JSON), with the original headers and the reason added.',
    headers: {
      type: 'object',
      required: [DeadLetterHeaders.code, DeadLetterHeaders.reason, DeadLetterHeaders.sourceTopic],
      properties: {
        [DeadLetterHeaders.code]: { type: 'string', description: 'The EVENT_* code (docs/ERRORS.md).' },
        [DeadLetterHeaders.reason]: {
          type: 'string',
          description: 'Which field broke which rule, as JSON Pointers; never personal data.',
        },
        [DeadLetterHeaders.sourceTopic]: {
          type: 'string',
          description: 'The topic the event was read from.',
        },
        [DeadLetterHeaders.sourcePartition]: { type: 'string', description: 'Its partition.' },
        [DeadLetterHeaders.sourceOffset]: { type: 'string', description: 'Its offset.' },
        [DeadLetterHeaders.rejectedAt]: { type: 'string', description: 'When it was rejected (ISO 8601).' },
      },
    },
    payload: { description: 'The original message value, byte for byte.' },
    bindings: {
      kafka: {
        key: { type: 'string', description: 'The original record key.' },
        bindingVersion: KAFKA_BINDING_VERSION,
      },
    },
  };

  for (const family of families) {
    const familyTypes = contract.types.filter((t) => t.family === family);
    const refs = Object.fromEntries(
      familyTypes.map((t) => [t.type, { $ref: `#/components/messages/${t.type}` }]),
    );
    channels[family] = {
      address: names.agencyTemplate(family),
      title: `${family} events`,
      description: `CloudEvents published by ${family} systems, keyed by ${keySystems(family).join(' or ')}.`,
      parameters: {
        sourceSystem: {
          description:
            'The code of the registered source system (e.g. tvp-niche): each system has a topic of its own, which only its principal may write.',
        },
      },
      messages: refs,
      bindings: { kafka: { bindingVersion: KAFKA_BINDING_VERSION } },
    };
    channels[`${family}-dead-letter`] = {
      address: names.deadLetter(family),
      title: `${family} dead letters`,
      description: `Events read from ${names.agencyTemplate(family)} that the connector rejected.`,
      messages: { [DEAD_LETTER_MESSAGE]: { $ref: `#/components/messages/${DEAD_LETTER_MESSAGE}` } },
      bindings: { kafka: { topic: names.deadLetter(family), bindingVersion: KAFKA_BINDING_VERSION } },
    };
    operations[`receive-${family}`] = {
      action: 'receive',
      title: `Ingest ${family} events`,
      summary:
        'The connector validates each event against its type, maps it to a status change, or dead-letters it.',
      channel: { $ref: `#/channels/${family}` },
      messages: familyTypes.map((t) => ({ $ref: `#/channels/${family}/messages/${t.type}` })),
    };
    operations[`dead-letter-${family}`] = {
      action: 'send',
      title: `Dead-letter rejected ${family} events`,
      channel: { $ref: `#/channels/${family}-dead-letter` },
      messages: [{ $ref: `#/channels/${family}-dead-letter/messages/${DEAD_LETTER_MESSAGE}` }],
    };
  }

  const notifications = notificationsChannel();
  channels['notifications'] = notifications.channel;
  operations['send-notifications'] = notifications.operation;
  messages[NOTIFICATION_MESSAGE] = notifications.message;
  schemas[NOTIFICATION_MESSAGE] = notifications.schema;

  return {
    asyncapi: '3.0.0',
    info: {
      title: 'mash-graph agency events and notifications',
      version: options.version,
      description: [
        'The events agency case systems publish to mash-graph: CloudEvents 1.0 in structured JSON mode, one Kafka',
        'topic per agency family, keyed by the agency’s identifier of the subject. Generated from schema/events by',
        '`npm run asyncapi`; docs/CONNECTING.md is rendered from the same contracts. Topic names take the',
        'deployment’s prefix (TOPIC_PREFIX), empty by default. It also documents what the platform hands on: the',
        'notifications topic, one record per person told about an escalation change, for email and SMS delivery.',
      ].join(' '),
    },
    servers: {
      local: {
        host: '127.0.0.1:9092',
        protocol: 'kafka',
        description:
          'The broker `npm start` runs. A partnership broker may require SASL/SCRAM credentials (mash-connect --username/--password).',
      },
    },
    defaultContentType: 'application/json',
    channels,
    operations,
    components: { schemas, messages },
  };
}
