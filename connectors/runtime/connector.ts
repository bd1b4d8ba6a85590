import {
  topics,
  type AgencyFamily,
  type CloudEvent,
  type StatusChangeMessage,
  type Topics,
} from '@mash/schema';
import { type AgencyDirectory, type Logger, type SourceSystemRef } from '@mash/service-kit';
import {
  deadLetterHeaders,
  type ConsumedMessage,
  type NonRetriableError,
  type OutgoingMessage,
} from '@mash/kafka';
import { DirectoryUnavailableError, EventRejectedError, type RejectionCode } from './errors';
import { mapperFor, type FamilyDefinition, type MappedStatusChange } from './family';
import { familyOfType, sourceSystemCode } from './naming';
import { sameJson, statusChangeId, statusChangeKey, statusChangeOf } from './status-change';
import type { IngestStore, RawEventRow, RecordPosition, StoreResult, StoredRawEvent } from './store';
import type { EventValidator } from './validation';

/** What the connector publishes with (EventProducer satisfies it). */
export interface MessageSender {
  send(topic: string, messages: readonly OutgoingMessage[]): Promise<void>;
}

export interface ConnectorServiceOptions {
  /** The families this connector consumes; one definition each. */
  readonly definitions: readonly FamilyDefinition[];
  readonly validator: EventValidator;
  readonly directory: AgencyDirectory;
  readonly store: IngestStore;
  readonly sender: MessageSender;
  readonly topicPrefix: string;
  readonly logger: Logger;
  readonly now?: () => Date;
  /** Told the codes of records a batch dead-lettered itself (for metrics). */
  readonly onDeadLettered?: (codes: readonly string[]) => void;
}

export type IngestOutcome =
  | { readonly outcome: 'accepted'; readonly statusChange: StatusChangeMessage }
  /**
   * Another record of an event already stored (same source and id): the stored first version is republished, so one
   * id always means one body. `payloadDiffers` when this record carried another payload.
   */
  | {
      readonly outcome: 'duplicate';
      readonly statusChange: StatusChangeMessage;
      readonly payloadDiffers: boolean;
    }
  /** The same record delivered again (at least once): stored before, republished, not counted as a duplicate. */
  | { readonly outcome: 'redelivered'; readonly statusChange: StatusChangeMessage };

/** A record of a run that passed its checks, with what storing and publishing it need. */
interface CheckedRecord {
  readonly message: ConsumedMessage;
  readonly row: RawEventRow;
  readonly definition: FamilyDefinition;
  readonly system: SourceSystemRef;
  readonly mapped: MappedStatusChange;
}

interface CheckedRun {
  readonly accepted: readonly CheckedRecord[];
  readonly rejected: readonly { readonly message: ConsumedMessage; readonly error: EventRejectedError }[];
  readonly receivedAt: string;
}

/** How long a run's checks compute before giving way to the event loop. */
const CHECK_SLICE_MS = 4;

/** Lets the event loop handle what is waiting (sockets, timers) before going on. */
const giveWay = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * The agency connector's use case for one raw record: validate, check the source, map, store the raw event,
 * publish the canonical status change. A record that can never succeed throws EventRejectedError (the consumer
 * hands it to `deadLetter`); anything else (directory, database, broker) is retriable and is thrown as is.
 */
export class ConnectorService {
  private readonly families: ReadonlyMap<string, FamilyDefinition>;
  private readonly log: Logger;
  private readonly now: () => Date;
  private readonly topicNames: Topics;
  private readonly publishedTypes: ReadonlySet<string>;
  /** Each agency topic's family definition and source system, parsed once. */
  private readonly topicsSeen = new Map<string, { definition: FamilyDefinition; sourceSystem: string }>();
  /** The last run's check: the next run's starts after it (`handleBatch`). */
  private checking: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: ConnectorServiceOptions) {
    this.topicNames = topics(options.topicPrefix);
    this.publishedTypes = new Set(options.validator.types);
    this.families = new Map(options.definitions.map((d) => [d.family, d]));
    this.log = options.logger.child({ component: 'connector-service' });
    this.now = options.now ?? (() => new Date());
  }

  /** The agency topics this service consumes: every source system topic of its families. */
  get topics(): RegExp[] {
    return [...this.families.keys()].map((f) => this.topicNames.agencyPattern(f as AgencyFamily));
  }

  async handle(message: ConsumedMessage): Promise<IngestOutcome> {
    const { definition, sourceSystem } = this.topicOf(message.topic);
    const { event, json } = this.validate(message);
    const system = await this.checkSource(event, definition, sourceSystem);
    const mapped = this.map(event, definition);

    const id = statusChangeId(event.source, event.id);
    const at = { topic: message.topic, partition: message.partition, offset: message.offset };
    const receivedAt = this.now().toISOString();
    const stored = await this.options.store.storeRawEvent({
      id,
      family: definition.family,
      event,
      json,
      receivedAt,
      ...at,
    });
    const result: IngestOutcome = stored.stored
      ? {
          outcome: 'accepted',
          statusChange: statusChangeOf(id, event, definition, system, mapped, receivedAt),
        }
      : await this.replay(stored.original, { id, event, definition, system, at, receivedAt });

    const { statusChange } = result;
    await this.options.sender.send(this.topicNames.statusChanges, [
      { key: statusChangeKey(statusChange), value: statusChange },
    ]);
    this.log.debug(
      { id, type: event.type, source: event.source, outcome: result.outcome, ...at },
      'event ingested',
    );
    return result;
  }

  /**
   * A run of consecutive records of one partition: each is validated, checked and mapped; the accepted ones are
   * stored with one multi-row insert and their status changes published with one send; a rejected one is
   * dead-lettered on its own (its code and reason recorded) and the others carry on. Anything that can clear
   * (directory, database, broker) throws, and the consumer retries the run; a database refusal of one record's
   * values throws too, and the consumer isolates that record.
   */
  async handleBatch(messages: readonly ConsumedMessage[]): Promise<IngestOutcome[]> {
    // Runs are checked one at a time, each while the runs before it are stored and sent: two runs checked together
    // would both compute, then both wait on Postgres and the broker.
    const turn = this.checking.then(() => this.checkRun(messages));
    this.checking = turn.catch(() => undefined);
    const { accepted, rejected, receivedAt } = await turn;
    const { store } = this.options;
    const rows = accepted.map((a) => a.row);
    const stored = store.storeRawEvents
      ? await store.storeRawEvents(rows)
      : await rows.reduce<Promise<StoreResult[]>>(
          async (done, row) => [...(await done), await store.storeRawEvent(row)],
          Promise.resolve([]),
        );
    const outcomes: IngestOutcome[] = [];
    for (const [i, a] of accepted.entries()) {
      const result = stored[i]!;
      const { row } = a;
      outcomes.push(
        result.stored
          ? {
              outcome: 'accepted',
              statusChange: statusChangeOf(row.id, row.event, a.definition, a.system, a.mapped, receivedAt),
            }
          : await this.replay(result.original, {
              id: row.id,
              event: row.event,
              definition: a.definition,
              system: a.system,
              at: { topic: row.topic, partition: row.partition, offset: row.offset },
              receivedAt,
            }),
      );
    }
    await this.options.sender.send(
      this.topicNames.statusChanges,
      outcomes.map(({ statusChange }) => ({ key: statusChangeKey(statusChange), value: statusChange })),
    );
    for (const { message, error } of rejected) {
      this.log.warn(
        { topic: message.topic, partition: message.partition, offset: message.offset, code: error.code },
        'dead-lettered',
      );
      await this.deadLetter(message, error);
    }
    this.options.onDeadLettered?.(rejected.map((r) => r.error.code));
    this.log.debug({ accepted: outcomes.length, rejected: rejected.length }, 'batch ingested');
    return outcomes;
  }

  /**
   * Validates, checks and maps a run's records: the accepted ones with their raw event rows, the rejected ones with
   * their reasons. It gives way to the event loop every few milliseconds, so another run's statements and send go
   * on meanwhile; a source system the directory holds is checked without waiting for it.
   */
  private async checkRun(messages: readonly ConsumedMessage[]): Promise<CheckedRun> {
    const accepted: CheckedRecord[] = [];
    const rejected: { readonly message: ConsumedMessage; readonly error: EventRejectedError }[] = [];
    const receivedAt = this.now().toISOString();
    let sliceStarted = performance.now();
    for (const message of messages) {
      if (performance.now() - sliceStarted > CHECK_SLICE_MS) {
        await giveWay();
        sliceStarted = performance.now();
      }
      const { definition, sourceSystem: topicSourceSystem } = this.topicOf(message.topic);
      try {
        const { event, json } = this.validate(message);
        // A source system the directory holds is checked without awaiting it (only a miss waits for the directory).
        const source = this.sourceCodeOf(event, topicSourceSystem);
        const held = this.options.directory.cachedSourceSystem?.(source.code);
        const system = this.registered(
          held !== undefined ? held : await this.sourceSystem(source.code),
          source,
          event,
          definition,
        );
        const mapped = this.map(event, definition);
        const row: RawEventRow = {
          id: statusChangeId(event.source, event.id),
          family: definition.family,
          event,
          json,
          receivedAt,
          topic: message.topic,
          partition: message.partition,
          offset: message.offset,
        };
        accepted.push({ message, row, definition, system, mapped });
      } catch (err) {
        if (!(err instanceof EventRejectedError)) throw err;
        rejected.push({ message, error: err });
      }
    }
    return { accepted, rejected, receivedAt };
  }

  /**
   * Another record of a stored event, or the same record delivered again. The stored first version is what its id
   * means, so that is what is republished (mapped again, with its first receipt's time) whatever this record
   * carries. Any other record (another position, or the same position holding another payload) is counted as a
   * duplicate, noting whether its payload differed.
   */
  private async replay(
    original: StoredRawEvent,
    record: {
      readonly id: string;
      readonly event: CloudEvent;
      readonly definition: FamilyDefinition;
      readonly system: SourceSystemRef;
      readonly at: RecordPosition;
      readonly receivedAt: string;
    },
  ): Promise<IngestOutcome> {
    const { id, event, definition, system, at, receivedAt } = record;
    const first = this.map(original.event, definition);
    const statusChange = statusChangeOf(id, original.event, definition, system, first, original.receivedAt);
    const payloadDiffers = !sameJson(original.event, event);
    const samePosition =
      original.topic === at.topic && original.partition === at.partition && original.offset === at.offset;
    if (samePosition && !payloadDiffers) return { outcome: 'redelivered', statusChange };

    await this.options.store.recordDuplicate({
      rawEventId: id,
      family: definition.family,
      ...at,
      receivedAt,
      payloadDiffers,
    });
    if (payloadDiffers) {
      // Names the two records, never the payloads (they hold personal data).
      const firstAt = { topic: original.topic, partition: original.partition, offset: original.offset };
      this.log.warn(
        { id, source: event.source, type: event.type, ...at, first: firstAt },
        'an event id was sent again with another payload; republishing the first stored version',
      );
    }
    return { outcome: 'duplicate', statusChange, payloadDiffers };
  }

  /**
   * The dead-letter path: records the rejection (idempotent per record), then sends the original bytes and key
   * with the reason in headers to the family's dead-letter topic. Throws (so the record is retried) if either fails.
   */
  async deadLetter(message: ConsumedMessage, error: NonRetriableError): Promise<void> {
    const { definition, sourceSystem } = this.topicOf(message.topic);
    const code = error.code as RejectionCode;
    const rejectedAt = this.now().toISOString();
    const rejected = error instanceof EventRejectedError ? error : null;
    const type = rejected?.type ?? null;
    await this.options.store.recordRejection({
      topic: message.topic,
      partition: message.partition,
      offset: message.offset,
      family: definition.family,
      sourceSystem,
      code,
      reason: error.message,
      // The database refusing a record's values (EVENT_DATA_REFUSED) names no field of the contract.
      issues: rejected?.issues ?? [],
      source: rejected?.source ?? null,
      // A type the sender made up is the sender's text, not a name of the contract: it is not kept.
      type: type !== null && this.publishedTypes.has(type) ? type : null,
      receivedAt: rejectedAt,
    });
    await this.options.sender.send(this.topicNames.deadLetter(definition.family), [
      {
        key: message.key ?? '',
        value: message.value ?? Buffer.alloc(0),
        headers: deadLetterHeaders(message, code, error.message, rejectedAt),
      },
    ]);
  }

  private validate(message: ConsumedMessage): { event: CloudEvent; json: string } {
    const result = this.options.validator.validateJson(message.value);
    if (result.ok) return result;
    const issues = result.issues.map(({ field, rule }) => ({ field, rule }));
    throw new EventRejectedError(
      result.code,
      result.reason,
      issues,
      result.envelope?.source,
      result.envelope?.type,
    );
  }

  /**
   * The registered source system, which must be the one whose topic the event arrived on (only its principal may
   * write there, so a system cannot publish in another's name), and belong to the type's family.
   */
  private async checkSource(
    event: CloudEvent,
    definition: FamilyDefinition,
    topicSourceSystem: string,
  ): Promise<SourceSystemRef> {
    const source = this.sourceCodeOf(event, topicSourceSystem);
    return this.registered(await this.sourceSystem(source.code), source, event, definition);
  }

  /** The event's source system code and its type's family, checked against the topic it arrived on. */
  private sourceCodeOf(
    event: CloudEvent,
    topicSourceSystem: string,
  ): { readonly code: string; readonly typeFamily: AgencyFamily } {
    const reject = rejecter(event);
    const typeFamily = familyOfType(event.type);
    if (typeFamily === null)
      throw reject('EVENT_TYPE_UNKNOWN', `type "${event.type}" names no agency family`, '/type', 'family');
    const code = sourceSystemCode(event.source);
    if (code === null)
      throw reject('EVENT_ENVELOPE_INVALID', '/source: must be urn:mash:source:<code>', '/source', 'pattern');
    if (code !== topicSourceSystem) {
      throw reject(
        'EVENT_SOURCE_MISMATCH',
        `source "${code}" published on source system "${topicSourceSystem}"'s topic: a system publishes in its own name only`,
        '/source',
        'own-topic',
      );
    }
    return { code, typeFamily };
  }

  /** The directory's answer for the event's source system: registered, of the type's and the topic's family. */
  private registered(
    system: SourceSystemRef | null,
    { code, typeFamily }: { readonly code: string; readonly typeFamily: AgencyFamily },
    event: CloudEvent,
    definition: FamilyDefinition,
  ): SourceSystemRef {
    const reject = rejecter(event);
    if (!system)
      throw reject(
        'EVENT_SOURCE_UNKNOWN',
        `source system "${code}" is not registered`,
        '/source',
        'registered',
      );
    if (system.family !== typeFamily) {
      throw reject(
        'EVENT_SOURCE_MISMATCH',
        `type "${event.type}" belongs to the ${typeFamily} family but source system "${code}" is registered as ${system.family}`,
        '/type',
        'family',
      );
    }
    if (system.family !== definition.family) {
      throw reject(
        'EVENT_SOURCE_MISMATCH',
        `source system "${code}" is registered as ${system.family} but published on the ${definition.family} topic`,
        '/source',
        'family',
      );
    }
    return system;
  }

  private map(event: CloudEvent, definition: FamilyDefinition): MappedStatusChange {
    const reject = rejecter(event);
    const mapper = mapperFor(definition, event.type);
    if (!mapper) {
      throw reject(
        'EVENT_TYPE_UNKNOWN',
        `the ${definition.family} connector has no mapping for "${event.type}"`,
        '/type',
        'mapped-type',
      );
    }
    let mapped: MappedStatusChange;
    try {
      mapped = mapper(event);
    } catch (err) {
      // A mapper only throws on a bug; retrying would block the partition, so the record is dead-lettered.
      this.log.error({ err, type: event.type }, 'mapper failed on a valid event');
      throw reject(
        'EVENT_DATA_INVALID',
        `data could not be mapped to a status change (${(err as Error).name})`,
        '/data',
        'mapping',
      );
    }
    if (!definition.identifierSystems.includes(mapped.subject.system)) {
      const allowed = definition.identifierSystems.map((s) => `"${s}"`).join(', ');
      throw reject(
        'EVENT_DATA_INVALID',
        `/data/subject/system: must be one of ${allowed}`,
        '/data/subject/system',
        'enum',
      );
    }
    return mapped;
  }

  private topicOf(topic: string): { definition: FamilyDefinition; sourceSystem: string } {
    const seen = this.topicsSeen.get(topic);
    if (seen) return seen;
    const parsed = this.topicNames.agencyTopic(topic);
    const definition = parsed && this.families.get(parsed.family);
    // Only subscribed topics reach the service; anything else is a wiring fault.
    if (!parsed || !definition) throw new Error(`topic ${topic} is not an agency topic of this connector`);
    const found = { definition, sourceSystem: parsed.sourceSystem };
    this.topicsSeen.set(topic, found);
    return found;
  }

  private async sourceSystem(code: string): Promise<SourceSystemRef | null> {
    try {
      return await this.options.directory.sourceSystem(code);
    } catch (err) {
      throw new DirectoryUnavailableError(
        `could not look up source system "${code}": ${(err as Error).message}`,
        {
          cause: err,
        },
      );
    }
  }
}

/** Rejections of one event: its code, reason, and the field and rule it failed, with the event's source and type. */
function rejecter(
  event: CloudEvent,
): (code: RejectionCode, reason: string, field: string, rule: string) => EventRejectedError {
  return (code, reason, field, rule) =>
    new EventRejectedError(code, reason, [{ field, rule }], event.source, event.type);
}
