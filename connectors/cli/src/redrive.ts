import { randomUUID } from 'node:crypto';
import type { IHeaders, Kafka, KafkaMessage } from 'kafkajs';
import { AGENCY_FAMILIES, DeadLetterHeaders, topics, type AgencyFamily } from '@mash/schema';
import { sourceUrn } from '@mash/connectors';
import { ExitCode, UsageError, type CommandResult } from './output';

/** Header added to a redriven record: the dead-letter record it came from (`<topic>/<partition>/<offset>`). */
export const REDRIVEN_FROM_HEADER = 'mash-redriven-from';

export interface RedriveOptions {
  /** `urn:mash:source:<code>` or just the code. */
  readonly source: string;
  readonly families: readonly AgencyFamily[];
  readonly topicPrefix: string;
  readonly dryRun: boolean;
  /** Only records dead-lettered with one of these codes (all when empty). */
  readonly codes: readonly string[];
  /** How long reading the dead-letter topics to their end may take. */
  readonly timeoutMs: number;
}

interface DeadLetterRecord {
  readonly topic: string;
  readonly partition: number;
  readonly message: KafkaMessage;
}

export interface RedriveItem {
  readonly deadLetter: { readonly topic: string; readonly partition: number; readonly offset: string };
  readonly code: string | null;
  readonly reason: string | null;
  readonly target: string;
  readonly id: string | null;
  readonly type: string | null;
}

const header = (headers: IHeaders | undefined, name: string): string | null => {
  const value = headers?.[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined ? null : first.toString();
};

/** The original record's headers: the dead-letter ones removed, where it came from added. */
function originalHeaders(record: DeadLetterRecord): IHeaders {
  const dlq = new Set<string>(Object.values(DeadLetterHeaders));
  const kept = Object.entries(record.message.headers ?? {}).filter(([name]) => !dlq.has(name));
  return {
    ...Object.fromEntries(kept),
    [REDRIVEN_FROM_HEADER]: `${record.topic}/${record.partition}/${record.message.offset}`,
  };
}

export function parseFamilies(values: readonly string[]): AgencyFamily[] {
  for (const v of values) {
    if (!(AGENCY_FAMILIES as readonly string[]).includes(v)) {
      throw new UsageError(`--family must be one of ${AGENCY_FAMILIES.join(', ')}, not "${v}"`);
    }
  }
  return values.length > 0 ? (values as AgencyFamily[]) : [...AGENCY_FAMILIES];
}

/** Reads every record now in the topics, from the beginning, with a consumer group of its own (deleted after). */
async function readToEnd(
  kafka: Kafka,
  wanted: readonly string[],
  timeoutMs: number,
): Promise<DeadLetterRecord[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const ends = new Map<string, bigint>(); // `<topic>/<partition>` → high watermark, for non-empty partitions
    for (const topic of wanted.filter((t) => existing.has(t))) {
      for (const p of await admin.fetchTopicOffsets(topic)) {
        if (BigInt(p.high) > BigInt(p.low)) ends.set(`${topic}/${p.partition}`, BigInt(p.high));
      }
    }
    if (ends.size === 0) return [];
    const subscribed = [...new Set([...ends.keys()].map((k) => k.slice(0, k.lastIndexOf('/'))))];
    const groupId = `mash-connect-redrive-${randomUUID()}`;
    const consumer = kafka.consumer({ groupId });
    const records: DeadLetterRecord[] = [];
    await consumer.connect();
    try {
      await consumer.subscribe({ topics: subscribed, fromBeginning: true });
      const pending = new Set(ends.keys());
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`reading the dead-letter topics took longer than ${timeoutMs} ms`)),
          timeoutMs,
        );
        consumer
          .run({
            autoCommit: false,
            eachMessage: async ({ topic, partition, message }) => {
              const at = `${topic}/${partition}`;
              const end = ends.get(at);
              if (end === undefined || BigInt(message.offset) >= end) return;
              records.push({ topic, partition, message });
              if (BigInt(message.offset) >= end - 1n) pending.delete(at);
              if (pending.size === 0) {
                clearTimeout(timer);
                resolve();
              }
            },
          })
          .catch((err: unknown) => {
            clearTimeout(timer);
            reject(err as Error);
          });
      });
    } finally {
      await consumer.disconnect();
      await admin.deleteGroups([groupId]).catch(() => undefined);
    }
    return records;
  } finally {
    await admin.disconnect();
  }
}

function eventOf(value: Buffer | null): { source?: unknown; id?: unknown; type?: unknown } | null {
  if (value === null) return null;
  try {
    const json: unknown = JSON.parse(value.toString('utf8'));
    return typeof json === 'object' && json !== null ? json : null;
  } catch {
    return null;
  }
}

/**
 * `mash-connect redrive`: re-publishes the dead-lettered records of one source system, after its fault is fixed,
 * to the topic each came from: the original key and bytes, the original headers. The connector treats a record
 * it has already ingested (same source and id) as a duplicate, so running it twice is safe.
 */
export async function redriveCommand(kafka: Kafka, options: RedriveOptions): Promise<CommandResult> {
  const source = options.source.startsWith('urn:') ? options.source : sourceUrn(options.source);
  const names = topics(options.topicPrefix);
  const dlqTopics = options.families.map((f) => names.deadLetter(f));
  const familyOfDlq = new Map(options.families.map((f) => [names.deadLetter(f), f]));
  const records = await readToEnd(kafka, dlqTopics, options.timeoutMs);

  let unreadable = 0;
  const selected: { record: DeadLetterRecord; item: RedriveItem }[] = [];
  for (const record of records) {
    const event = eventOf(record.message.value);
    if (event === null) {
      unreadable++;
      continue;
    }
    if (event.source !== source) continue;
    const code = header(record.message.headers, DeadLetterHeaders.code);
    if (options.codes.length > 0 && (code === null || !options.codes.includes(code))) continue;
    const family = familyOfDlq.get(record.topic) as AgencyFamily;
    const sourceCode = /^urn:mash:source:([a-z0-9][a-z0-9-]*)$/.exec(String(event.source))?.[1];
    const target =
      header(record.message.headers, DeadLetterHeaders.sourceTopic) ??
      (sourceCode ? names.agency(family, sourceCode) : null);
    if (target === null) continue;
    selected.push({
      record,
      item: {
        deadLetter: { topic: record.topic, partition: record.partition, offset: record.message.offset },
        code,
        reason: header(record.message.headers, DeadLetterHeaders.reason),
        target,
        id: typeof event.id === 'string' ? event.id : null,
        type: typeof event.type === 'string' ? event.type : null,
      },
    });
  }

  if (!options.dryRun && selected.length > 0) {
    const producer = kafka.producer({ allowAutoTopicCreation: false });
    await producer.connect();
    try {
      for (const { record, item } of selected) {
        const key = record.message.key && record.message.key.length > 0 ? record.message.key : null;
        await producer.send({
          topic: item.target,
          acks: -1,
          messages: [{ key, value: record.message.value, headers: originalHeaders(record) }],
        });
      }
    } finally {
      await producer.disconnect();
    }
  }

  const verb = options.dryRun ? 'would redrive' : 'redrove';
  return {
    exitCode: ExitCode.ok,
    json: {
      ok: true,
      dryRun: options.dryRun,
      source,
      scanned: records.length,
      unreadable,
      redriven: options.dryRun ? 0 : selected.length,
      records: selected.map((s) => s.item),
    },
    text: [
      `${verb} ${selected.length} of ${records.length} dead-lettered records for ${source}` +
        (unreadable > 0 ? ` (${unreadable} not JSON, so of no known source)` : ''),
      ...selected.map(
        ({ item }) =>
          `  ${item.deadLetter.topic}/${item.deadLetter.partition}/${item.deadLetter.offset} ${item.code ?? '?'} ` +
          `${item.type ?? '?'} ${item.id ?? '?'} -> ${item.target}`,
      ),
    ],
  };
}
