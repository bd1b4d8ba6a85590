import {
  CP_IS_FLAG_SYSTEM,
  HEALTH_EVENT_TYPES,
  NHS_NUMBER_SYSTEM,
  WAS_NOT_BROUGHT_EXTENSION,
  type EventContract,
  type JsonSchemaDocument,
} from '@mash/connectors';
import { DeadLetterHeaders, ErrorCodes, topics, type AgencyFamily } from '@mash/schema';
import { ASYNCAPI_PATH, exampleEvent, keySystems, publishingFamilies } from './asyncapi';

/** Where the guide for agency IT teams is written, relative to the repository root. */
export const CONNECTING_DOC_PATH = 'docs/CONNECTING.md';

interface FieldRow {
  readonly path: string;
  readonly type: string;
  readonly required: boolean;
  readonly rules: string;
  readonly description: string;
}

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const code = (text: string): string => `\`${text}\``;

function typeOf(schema: JsonSchemaDocument): string {
  const t = schema['type'];
  if (Array.isArray(t)) return t.join(' or ');
  if (typeof t === 'string')
    return t === 'array' && schema['items'] ? `array of ${typeOf(schema['items'] as JsonSchemaDocument)}` : t;
  if (schema['$ref']) return 'see schema';
  if (schema['oneOf'] || schema['anyOf']) return 'one of several shapes (see schema)';
  return 'any';
}

function rulesOf(schema: JsonSchemaDocument): string {
  const rules: string[] = [];
  if (Array.isArray(schema['enum']))
    rules.push(`one of ${(schema['enum'] as unknown[]).map((v) => code(JSON.stringify(v))).join(', ')}`);
  if (schema['const'] !== undefined) rules.push(`exactly ${code(JSON.stringify(schema['const']))}`);
  if (typeof schema['format'] === 'string') rules.push(`format ${code(schema['format'])}`);
  if (typeof schema['pattern'] === 'string') rules.push(`pattern ${code(schema['pattern'])}`);
  for (const [k, words] of [
    ['minLength', 'at least %s character(s)'],
    ['maxLength', 'at most %s character(s)'],
    ['minimum', 'at least %s'],
    ['maximum', 'at most %s'],
    ['minItems', 'at least %s item(s)'],
    ['maxItems', 'at most %s item(s)'],
  ] as const) {
    const n = schema[k];
    if (typeof n === 'number') rules.push(words.replace('%s', String(n)).replace('(s)', n === 1 ? '' : 's'));
  }
  return rules.join('; ');
}

/** The fields of an object schema, nested objects flattened to dotted paths (`a.b`, and `a[].b` for arrays of objects). */
export function fieldRows(schema: JsonSchemaDocument, prefix = ''): FieldRow[] {
  const properties = (schema['properties'] ?? {}) as Record<string, JsonSchemaDocument>;
  const required = new Set((schema['required'] ?? []) as string[]);
  return Object.entries(properties).flatMap(([name, property]) => {
    const path = `${prefix}${name}`;
    const row: FieldRow = {
      path,
      type: typeOf(property),
      required: required.has(name),
      rules: rulesOf(property),
      description: typeof property['description'] === 'string' ? property['description'] : '',
    };
    const items = property['items'] as JsonSchemaDocument | undefined;
    if (property['type'] === 'object' && property['properties'])
      return [row, ...fieldRows(property, `${path}.`)];
    if (property['type'] === 'array' && items?.['type'] === 'object' && items['properties'])
      return [row, ...fieldRows(items, `${path}[].`)];
    return [row];
  });
}

/** A Markdown table, aligned the way prettier aligns one, so the generated file passes `prettier --check`. */
function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const cells = rows.map((r) => r.map(cell));
  const widths = header.map((h, i) => Math.max(3, h.length, ...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: readonly string[]) => `| ${r.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)];
}

const fieldTable = (rows: readonly FieldRow[]): string[] =>
  table(
    ['field', 'type', 'required', 'rules', 'description'],
    rows.map((r) => [code(r.path), r.type, r.required ? 'yes' : 'no', r.rules, r.description]),
  );

/**
 * docs/CONNECTING.md: how an agency system connects, rendered from the published contracts (the same ones as
 * schema/asyncapi.yaml and the connector's validation), laid out as prettier would (a test checks the committed file).
 */
export function renderConnectingDoc(
  contract: EventContract,
  exampleSources: Partial<Record<AgencyFamily, string>>,
): string {
  const names = topics();
  const families = publishingFamilies(contract);
  const deadLetterCodes = Object.values(ErrorCodes).filter((d) => d.surface === 'connector');
  const lines: string[] = [
    '# Connecting an agency system',
    '',
    '<!-- Generated from schema/events by `npm run asyncapi`; do not edit by hand. -->',
    '',
    'For agency IT teams. Your case system (or its integration layer) publishes each status change about a person',
    'as one **CloudEvents 1.0** event in **structured JSON mode** to your family’s Kafka topic. The machine-readable',
    `contract is [\`${ASYNCAPI_PATH}\`](../${ASYNCAPI_PATH}) (AsyncAPI 3.0); each event type’s JSON Schema is in`,
    '`schema/events/<type>.schema.json`.',
    '',
    '## Before you start',
    '',
    '1. Ask the partnership to register your **source system** (a short code such as `tvp-niche`); events from',
    '   an unregistered source are dead-lettered with `EVENT_SOURCE_UNKNOWN`.',
    '2. Get the broker addresses and, if the broker requires them, SASL/SCRAM credentials.',
    '3. Check your events with the command-line tool before sending them (`npm install && npm run build` in this repository, then',
    '   `npx mash-connect --help`):',
    '',
    '```sh',
    'npx mash-connect types                       # the event types, their topics, schema ids and examples',
    'npx mash-connect validate event.json         # the code and reason the connector would reject it with',
    'npx mash-connect send event.json --brokers broker-1:9092 --username my-system --password "$SECRET"',
    'npx mash-connect redrive --source my-system --dry-run   # what would be re-sent from the dead-letter topics',
    '```',
    '',
    'Every command takes `--json` and exits 0 when all is well, 1 when the event is invalid or the operation',
    'failed, and 2 when the command line is wrong. Broker options: `--brokers` (or `KAFKA_BROKERS`, default',
    '`127.0.0.1:9092`), `--username`/`--password` (or `KAFKA_USERNAME`/`KAFKA_PASSWORD`, SASL `--sasl-mechanism`',
    'default `scram-sha-512`), `--ssl`, `--topic-prefix` (or `TOPIC_PREFIX`).',
    '',
    '## Topics and keys',
    '',
    'Publish to your family’s topic; the **record key** is your own identifier of the person the event is about (the',
    '`data.subject.value` of the event; for a FHIR resource, the patient’s NHS number), so that one person’s events',
    'stay in order.',
    '',
    'Your producer may compress its batches with gzip, Snappy or LZ4 (`compression.type`), or not at all; the',
    'connector reads all four. Not zstd: the connector’s Kafka client (kafkajs) cannot decode it.',
    '',
    ...table(
      ['family', 'topic', 'key: identifier system', 'dead-letter topic'],
      families.map((f) => [
        f,
        code(names.agencyTemplate(f)),
        keySystems(f).map(code).join(', '),
        code(names.deadLetter(f)),
      ]),
    ),
    '',
    '## The envelope',
    '',
    'Every event is a JSON object with these CloudEvents attributes (other attributes are allowed if their names are',
    'lower-case letters and digits):',
    '',
    ...fieldTable(fieldRows(contract.envelope)),
    '',
    'Sending an event again with the same `source` and `id` is safe: the connector ingests it once.',
    '',
    '## Event types',
    '',
  ];
  for (const type of contract.types) {
    const source = exampleSources[type.family] ?? `${type.family}-system`;
    lines.push(
      `### \`${type.type}\``,
      '',
      `**${type.title}.** ${type.description}`,
      '',
      `Topic ${code(names.agencyTemplate(type.family))}, \`dataschema\` ${code(type.schemaId)}. Fields of \`data\`:`,
      '',
      ...fieldTable(fieldRows(type.schema, 'data.')),
      '',
    );
    const example = type.examples[0];
    if (example !== undefined) {
      lines.push(
        'Example:',
        '',
        '```json',
        JSON.stringify(exampleEvent(type, example, source), null, 2),
        '```',
        '',
      );
    }
    lines.push(
      'Send it (or this example, with `--sample`):',
      '',
      '```sh',
      `npx mash-connect send --sample ${type.type} --source ${source}`,
      '```',
      '',
    );
  }
  if (contract.types.some((t) => t.type === HEALTH_EVENT_TYPES.appointmentNoShow))
    lines.push(...fhirSection());
  lines.push(
    '## When an event is rejected',
    '',
    `The connector never drops an event silently: a rejected event goes, byte for byte with its key and headers, to`,
    `\`mash.dlq.<family>.v1\` with the header \`${DeadLetterHeaders.code}\` (one code below, see`,
    `[ERRORS.md](ERRORS.md)) and \`${DeadLetterHeaders.reason}\` (which field broke which rule, as a JSON Pointer or,`,
    `for FHIR types, a FHIR path; never personal data), plus \`${DeadLetterHeaders.sourceTopic}\`, \`${DeadLetterHeaders.sourcePartition}\`,`,
    `\`${DeadLetterHeaders.sourceOffset}\` and \`${DeadLetterHeaders.rejectedAt}\`. The events after it carry on.`,
    '',
    ...table(
      ['code', 'meaning', 'what to do'],
      deadLetterCodes.map((d) => [code(d.code), d.description, REMEDIES[d.code] ?? 'See ERRORS.md.']),
    ),
    '',
    'Once the fault is fixed, re-send the rejected events of your source from the dead-letter topics:',
    '',
    '```sh',
    'npx mash-connect redrive --source my-system --dry-run   # list them',
    'npx mash-connect redrive --source my-system             # re-publish them to the topics they came from',
    '```',
    '',
    'An event whose identifier matches no known person is not rejected: it waits until a MASH officer links it.',
    '',
    '## Watching your connector',
    '',
    'With a token of the `agency-integrator` role of your agency, ask the gateway for your source system’s',
    '`health` (events accepted, rejected and duplicated per event type, the last event’s time, the consumer lag on',
    'your topic, the dead-letter codes with the fields and rules that broke) and `unmatched` (events waiting for a',
    'MASH officer to link them): `sourceSystem(code: "my-system") { health { … } unmatched { … } }` (the README,',
    '"Watching your connector", has the whole query). It never holds personal data; the same figures are Prometheus',
    'metrics (`mash_connector_*` on the connector, `mash_unmatched_waiting` on cases).',
    '',
  );
  return lines.join('\n');
}

/** How health systems publish FHIR R4 resources, and how to move off the flat appointment type. */
function fhirSection(): string[] {
  const T = HEALTH_EVENT_TYPES;
  return [
    '## Health: FHIR R4 resources',
    '',
    `The health types ${code(T.appointmentNoShow)}, ${code(T.emergencyEncounter)} and ${code(T.protectionFlag)} carry`,
    'the FHIR R4 resource itself (JSON) as `data`. The connector checks it against the FHIR R4 definitions',
    '(structure, cardinality, formats and the specification’s invariants, with `@medplum/core`) and then against the',
    'type’s JSON Schema above; a resource that fails either is dead-lettered as `EVENT_DATA_INVALID` with the',
    '**FHIR path** that broke (`Appointment.start: Invalid instant format`,',
    '`Appointment.participant[0].actor.identifier.value: must match format "nhs-number"`). On top of R4 the contract',
    'asks for:',
    '',
    `- the patient as a logical reference, \`type\` \`Patient\` with the NHS number as identifier (system ${code(NHS_NUMBER_SYSTEM)});`,
    '  an Appointment names the patient as one of its participants;',
    `- on a no-show Appointment, the extension ${code(WAS_NOT_BROUGHT_EXTENSION)} with \`valueBoolean\` \`true\``,
    '  when a child (or an adult who depends on a carer) was not brought, `false` when the patient did not attend.',
    '  R4 has no element for this (`noshow` says someone did not appear; participant status is acceptance of the',
    '  booking; `cancelationReason` is for cancellations), so, as FHIR asks, it is an extension, and it is required:',
    '  the platform never guesses it from age or participants;',
    `- on a Flag, one coding in ${code(CP_IS_FLAG_SYSTEM)}: \`CPP\` (child protection plan), \`UCPP\` (unborn`,
    '  child’s protection plan, the subject being the mother) or `LAC` (looked-after child), as CP-IS shares them;',
    '  `active` when set, `inactive` with `period.end` when ended;',
    '- an `id` on every resource (the status change’s reference).',
    '',
    `### Migrating from ${code(T.appointmentNotAttended)}`,
    '',
    `${code(T.appointmentNotAttended)} (a flat object) is **deprecated**: it is still accepted and becomes the same`,
    `status change as before, so nothing breaks; new connections publish ${code(T.appointmentNoShow)}, and existing`,
    'ones move when they can (the platform will announce a retirement date before refusing the flat type). Field by',
    'field:',
    '',
    ...table(
      ['flat field', 'FHIR R4 Appointment'],
      [
        [
          '`subject.value` (NHS number)',
          `\`participant[]\` with \`actor\`: \`{ "type": "Patient", "identifier": { "system": "${NHS_NUMBER_SYSTEM}", "value": … } }\``,
        ],
        ['`appointmentRef`', '`id`'],
        ['`appointmentAt`', '`start` (and `end`: R4 requires both on a no-show)'],
        [
          '`wasNotBrought`',
          `\`extension[]\`: \`{ "url": "${WAS_NOT_BROUGHT_EXTENSION}", "valueBoolean": … }\``,
        ],
        ['`service`', '`serviceType` (optional, any code system)'],
        ['`otherIdentifiers`', 'not carried: the FHIR types identify the patient by NHS number only'],
        ['(implied)', '`resourceType` `Appointment`, `status` `noshow`'],
      ],
    ),
    '',
  ];
}

const REMEDIES: Readonly<Record<string, string>> = {
  EVENT_NOT_JSON: 'Send UTF-8 JSON, one event per message.',
  EVENT_ENVELOPE_INVALID:
    'Fix the attribute named in the reason (see the envelope above); `mash-connect validate` shows it.',
  EVENT_TYPE_UNKNOWN: 'Use one of the event types above (`mash-connect types`).',
  EVENT_DATA_INVALID: 'Fix the `data` field named in the reason; `mash-connect validate` shows it.',
  EVENT_SOURCE_UNKNOWN: 'Ask the partnership to register your source system, then redrive.',
  EVENT_SOURCE_MISMATCH: 'Publish only your own family’s types, to your family’s topic.',
};
