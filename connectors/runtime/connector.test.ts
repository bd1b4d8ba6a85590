import { DeadLetterHeaders, topics, type AgencyFamily, type StatusChangeMessage } from '@mash/schema';
import { silentLogger, uuidFromName, type AgencyDirectory, type SourceSystemRef } from '@mash/service-kit';
import { NonRetriableError, type ConsumedMessage, type OutgoingMessage } from '@mash/kafka';
import { createCloudEvent } from './cloudevent';
import { ConnectorService } from './connector';
import { statusChangeId, statusChangeKey } from './status-change';
import { DirectoryUnavailableError, EventRejectedError } from './errors';
import { FAMILY_DEFINITIONS } from './families';
import type { DuplicateRow, IngestStore, RawEventRow, RejectionRow, StoreResult } from './store';
import { EventValidator } from './validation';

const t = topics('t.');
const validator = EventValidator.load();
const partnershipId = 'p-1';
const sources: Record<string, SourceSystemRef> = {
  'tvp-niche': { id: 'ss-police', code: 'tvp-niche', family: 'police', agencyId: 'a-police', partnershipId },
  'mk-lcs': { id: 'ss-la', code: 'mk-lcs', family: 'la-children', agencyId: 'a-la', partnershipId },
  'bucks-rio': { id: 'ss-health', code: 'bucks-rio', family: 'health', agencyId: 'a-health', partnershipId },
  'mk-cpoms': { id: 'ss-school', code: 'mk-cpoms', family: 'education', agencyId: 'a-school', partnershipId },
};

/** In-memory stand-ins for the service's own ports (the real ones are exercised by connector.int.test.ts). */
class MemoryStore implements IngestStore {
  readonly raw: RawEventRow[] = [];
  readonly duplicates: DuplicateRow[] = [];
  readonly rejections: RejectionRow[] = [];
  async storeRawEvent(row: RawEventRow): Promise<StoreResult> {
    const original = this.raw.find((r) => r.event.source === row.event.source && r.event.id === row.event.id);
    if (original) return { stored: false, original };
    this.raw.push(row);
    return { stored: true };
  }
  async recordDuplicate(row: DuplicateRow): Promise<void> {
    this.duplicates.push(row);
  }
  async recordRejection(row: RejectionRow): Promise<void> {
    this.rejections.push(row);
  }
}

class MemorySender {
  readonly sent: { topic: string; message: OutgoingMessage }[] = [];
  async send(topic: string, messages: readonly OutgoingMessage[]): Promise<void> {
    for (const message of messages) this.sent.push({ topic, message });
  }
}

const staticDirectory: AgencyDirectory = {
  sourceSystem: async (code) => sources[code] ?? null,
  policy: async () => {
    throw new Error('not used');
  },
};

function setup(
  directory: AgencyDirectory = staticDirectory,
  families: AgencyFamily[] = ['police', 'la-children'],
) {
  const store = new MemoryStore();
  const sender = new MemorySender();
  const service = new ConnectorService({
    definitions: FAMILY_DEFINITIONS.filter((d) => families.includes(d.family)),
    validator,
    directory,
    store,
    sender,
    topicPrefix: 't.',
    logger: silentLogger(),
    now: () => new Date('2025-11-22T08:00:00Z'),
  });
  return { service, store, sender };
}

let offset = 0;
function record(
  value: unknown,
  topic = t.agency('police', 'tvp-niche'),
  key = 'police-person-id:NICHE-7730142',
): ConsumedMessage {
  return {
    topic,
    partition: 0,
    offset: String(offset++),
    key,
    value: value === null ? null : Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)),
    headers: { traceparent: '00-1-2-01' },
    timestamp: '0',
  };
}

const notice = (id = 'evt-1', sourceSystem = 'tvp-niche') =>
  createCloudEvent({
    id,
    sourceSystem,
    type: 'uk.mash.police.protection-notice.v1',
    time: '2025-11-20T14:05:00Z',
    data: {
      subject: { system: 'police-person-id', value: 'NICHE-7730142' },
      bragRating: 'red',
      childrenPresent: true,
      incidentRef: 'TVP-2025-114223',
    },
  });

async function rejection(service: ConnectorService, message: ConsumedMessage): Promise<EventRejectedError> {
  const error = await service.handle(message).then(
    () => new Error('expected a rejection'),
    (err: unknown) => err,
  );
  expect(error).toBeInstanceOf(EventRejectedError);
  return error as EventRejectedError;
}

describe('ConnectorService', () => {
  it('stores a valid event and publishes its status change keyed by partnership and identifier', async () => {
    const { service, store, sender } = setup();
    const result = await service.handle(record(notice()));

    const expected: StatusChangeMessage = {
      id: uuidFromName('urn:mash:source:tvp-niche|evt-1'),
      eventId: 'evt-1',
      source: 'urn:mash:source:tvp-niche',
      type: 'uk.mash.police.protection-notice.v1',
      family: 'police',
      partnershipId,
      agencyId: 'a-police',
      sourceSystemId: 'ss-police',
      subject: { system: 'police-person-id', value: 'NICHE-7730142' },
      kind: 'protection-notice',
      facts: { riskLevel: 'high', bragRating: 'red', reference: 'TVP-2025-114223' },
      summary: 'Police protection notice submitted, rated red; children present',
      occurredAt: '2025-11-20T14:05:00.000Z',
      receivedAt: '2025-11-22T08:00:00.000Z',
    };
    expect(result).toEqual({ outcome: 'accepted', statusChange: expected });
    expect(sender.sent).toEqual([
      { topic: t.statusChanges, message: { key: 'p-1:police-person-id:NICHE-7730142', value: expected } },
    ]);
    expect(statusChangeKey(expected)).toBe('p-1:police-person-id:NICHE-7730142');
    expect(store.raw).toHaveLength(1);
    expect(store.raw[0]).toMatchObject({
      id: expected.id,
      family: 'police',
      topic: t.agency('police', 'tvp-niche'),
    });
  });

  it("carries the other identifiers of the agency's record to the status change, once each and without the subject", async () => {
    const { service, sender } = setup();
    const event = createCloudEvent({
      id: 'evt-la-1',
      sourceSystem: 'mk-lcs',
      type: 'uk.mash.la-children.contact-outcome.v1',
      time: '2025-11-18T11:20:00Z',
      data: {
        subject: { system: 'la-person-id', value: 'LCS-448812' },
        contactRef: 'MK-CON-2025-3301',
        outcome: 'early-help',
        decidedAt: '2025-11-18T11:20:00Z',
        otherIdentifiers: [
          { system: 'nhs-number', value: '9434765919' },
          { system: 'la-person-id', value: 'LCS-448812' },
          { system: 'upn', value: 'B801200005001' },
          { system: 'nhs-number', value: '9434765919' },
        ],
      },
    });
    const result = await service.handle(record(event, t.agency('la-children', 'mk-lcs'), 'LCS-448812'));
    expect(result.outcome).toBe('accepted');
    expect(result.statusChange).toMatchObject({
      family: 'la-children',
      subject: { system: 'la-person-id', value: 'LCS-448812' },
      otherIdentifiers: [
        { system: 'nhs-number', value: '9434765919' },
        { system: 'upn', value: 'B801200005001' },
      ],
      kind: 'contact-outcome',
      facts: { contactOutcome: 'early-help', threshold: 'early-help', reference: 'MK-CON-2025-3301' },
    });
    expect(sender.sent[0]?.message.key).toBe('p-1:la-person-id:LCS-448812');
  });

  it('leaves otherIdentifiers out of a status change whose event names none', async () => {
    const { service } = setup();
    const { statusChange } = await service.handle(record(notice()));
    expect(Object.keys(statusChange)).not.toContain('otherIdentifiers');
  });

  it('rejects an event whose other identifiers include an NHS number with a wrong check digit, naming the path', async () => {
    const { service, sender } = setup();
    const event = notice();
    const error = await rejection(
      service,
      record({
        ...event,
        data: { ...event.data, otherIdentifiers: [{ system: 'nhs-number', value: '9434765918' }] },
      }),
    );
    expect(error).toMatchObject({
      code: 'EVENT_DATA_INVALID',
      message: '/data/otherIdentifiers/0/value: must match format "nhs-number"',
    });
    expect(sender.sent).toHaveLength(0);
  });

  it("ingests an education event keyed by the pupil's UPN when the connector runs for education", async () => {
    const { service, sender } = setup(staticDirectory, ['education']);
    const event = createCloudEvent({
      id: 'evt-school-1',
      sourceSystem: 'mk-cpoms',
      type: 'uk.mash.education.unexplained-absence.v1',
      time: '2025-11-19T10:00:00Z',
      data: { subject: { system: 'upn', value: 'B801200005001' }, absenceDate: '2025-11-19' },
    });
    const result = await service.handle(record(event, t.agency('education', 'mk-cpoms'), 'B801200005001'));
    expect(result).toMatchObject({
      outcome: 'accepted',
      statusChange: {
        family: 'education',
        agencyId: 'a-school',
        subject: { system: 'upn', value: 'B801200005001' },
        kind: 'unexplained-absence',
        facts: {},
        summary: 'Unexplained absence from school from 2025-11-19',
        occurredAt: '2025-11-19T10:00:00.000Z',
      },
    });
    expect(sender.sent.map((s) => s.message.key)).toEqual(['p-1:upn:B801200005001']);
  });

  it('republishes a replayed event with the same id and counts it as a duplicate', async () => {
    const { service, store, sender } = setup();
    const first = await service.handle(record(notice()));
    const replay = await service.handle(record(notice()));
    expect(replay.outcome).toBe('duplicate');
    expect(replay.statusChange).toEqual(first.statusChange);
    expect(store.raw).toHaveLength(1);
    expect(store.duplicates).toHaveLength(1);
    expect(sender.sent.map((s) => (s.message.value as StatusChangeMessage).id)).toEqual([
      statusChangeId('urn:mash:source:tvp-niche', 'evt-1'),
      statusChangeId('urn:mash:source:tvp-niche', 'evt-1'),
    ]);
  });

  it('republishes the first stored version when an event id is sent again with another payload, and counts it', async () => {
    const { service, store, sender } = setup();
    const first = await service.handle(record(notice()));
    const changed = notice();
    const second = record({
      ...changed,
      time: '2025-11-21T09:00:00Z',
      data: { ...changed.data, bragRating: 'green', childrenPresent: false, incidentRef: 'TVP-2025-999999' },
    });
    const replay = await service.handle(second);

    expect(replay).toEqual({ outcome: 'duplicate', statusChange: first.statusChange, payloadDiffers: true });
    expect(sender.sent.map((s) => s.message)).toEqual([
      { key: 'p-1:police-person-id:NICHE-7730142', value: first.statusChange },
      { key: 'p-1:police-person-id:NICHE-7730142', value: first.statusChange },
    ]);
    expect(store.raw).toHaveLength(1);
    expect(store.raw[0]?.event.data).toMatchObject({ bragRating: 'red', incidentRef: 'TVP-2025-114223' });
    expect(store.duplicates).toEqual([
      expect.objectContaining({
        rawEventId: first.statusChange.id,
        offset: second.offset,
        payloadDiffers: true,
      }),
    ]);
  });

  it('republishes the stored subject and key when a replay names another subject', async () => {
    const { service, sender } = setup();
    const first = await service.handle(record(notice()));
    const changed = notice();
    await service.handle(
      record({
        ...changed,
        data: { ...changed.data, subject: { system: 'police-person-id', value: 'NICHE-1' } },
      }),
    );
    expect(sender.sent.map((s) => s.message.key)).toEqual([
      'p-1:police-person-id:NICHE-7730142',
      'p-1:police-person-id:NICHE-7730142',
    ]);
    expect(sender.sent[1]?.message.value).toEqual(first.statusChange);
  });

  it('does not count a replay whose payload differs only in key order as differing', async () => {
    const { service, store } = setup();
    const event = notice();
    await service.handle(record(event));
    const reordered = Object.fromEntries(Object.entries({ ...event, data: { ...event.data } }).reverse());
    const replay = await service.handle(record(JSON.stringify(reordered)));
    expect(replay).toMatchObject({ outcome: 'duplicate', payloadDiffers: false });
    expect(store.duplicates).toEqual([expect.objectContaining({ payloadDiffers: false })]);
  });

  it('does not count a redelivery of the same record as a duplicate', async () => {
    const { service, store } = setup();
    const message = record(notice());
    await service.handle(message);
    expect((await service.handle(message)).outcome).toBe('redelivered');
    expect(store.duplicates).toHaveLength(0);
  });

  it('rejects a record that fails validation with the validator code', async () => {
    const { service, sender } = setup();
    expect((await rejection(service, record('{oops'))).code).toBe('EVENT_NOT_JSON');
    expect((await rejection(service, record(null))).code).toBe('EVENT_NOT_JSON');
    const bad = notice();
    const invalid = await rejection(service, record({ ...bad, data: { ...bad.data, bragRating: 'pink' } }));
    expect(invalid.code).toBe('EVENT_DATA_INVALID');
    expect(invalid.source).toBe('urn:mash:source:tvp-niche');
    expect(sender.sent).toHaveLength(0);
  });

  it('rejects an event from an unregistered source', async () => {
    const { service } = setup();
    const error = await rejection(
      service,
      record(notice('evt-2', 'unknown-system'), t.agency('police', 'unknown-system')),
    );
    expect(error.code).toBe('EVENT_SOURCE_UNKNOWN');
    expect(error.message).toBe('source system "unknown-system" is not registered');
  });

  it("rejects a type that is not the source system's family", async () => {
    const { service } = setup();
    const error = await rejection(service, record(notice('evt-3', 'mk-lcs'), t.agency('police', 'mk-lcs')));
    expect(error.code).toBe('EVENT_SOURCE_MISMATCH');
    expect(error.message).toBe(
      'type "uk.mash.police.protection-notice.v1" belongs to the police family but source system "mk-lcs" is registered as la-children',
    );
  });

  it("rejects an event published on another family's topic", async () => {
    const { service } = setup();
    const error = await rejection(service, record(notice(), t.agency('la-children', 'tvp-niche')));
    expect(error).toMatchObject({
      code: 'EVENT_SOURCE_MISMATCH',
      message: 'source system "tvp-niche" is registered as police but published on the la-children topic',
    });
  });

  it('rejects an event naming another source system than the one whose topic it arrived on, without asking the directory', async () => {
    const { service } = setup({
      sourceSystem: async () => {
        throw new Error('the directory must not be asked');
      },
      policy: async () => {
        throw new Error('the directory must not be asked');
      },
    });
    const error = await rejection(service, record(notice('evt-4', 'other-police-force')));
    expect(error).toMatchObject({
      code: 'EVENT_SOURCE_MISMATCH',
      message:
        'source "other-police-force" published on source system "tvp-niche"\'s topic: a system publishes in its own name only',
    });
  });

  it('retries rather than rejects when the directory does not answer', async () => {
    const { service, store, sender } = setup({
      sourceSystem: async () => {
        throw new Error('http://agencies did not answer');
      },
      policy: async () => {
        throw new Error('not used');
      },
    });
    const error = await service.handle(record(notice())).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(DirectoryUnavailableError);
    expect(error).not.toBeInstanceOf(NonRetriableError);
    expect((error as DirectoryUnavailableError).retriable).toBe(true);
    expect(store.raw).toHaveLength(0);
    expect(sender.sent).toHaveLength(0);
  });

  it('records a rejection under the source system whose topic it came on, keeping only published type names', async () => {
    const { service, store } = setup();
    const bad = notice();
    const invalid = record({ ...bad, data: { ...bad.data, bragRating: 'pink' } });
    await service.deadLetter(invalid, await rejection(service, invalid));
    const { dataschema: _d, ...unpublished } = notice('evt-9');
    const madeUp = record({ ...unpublished, type: 'uk.mash.police.John-Smith.v1' });
    await service.deadLetter(madeUp, await rejection(service, madeUp));

    expect(
      store.rejections.map(({ sourceSystem, code, type, issues }) => ({ sourceSystem, code, type, issues })),
    ).toEqual([
      {
        sourceSystem: 'tvp-niche',
        code: 'EVENT_DATA_INVALID',
        type: 'uk.mash.police.protection-notice.v1',
        issues: [{ field: '/data/bragRating', rule: 'enum' }],
      },
      {
        sourceSystem: 'tvp-niche',
        code: 'EVENT_TYPE_UNKNOWN',
        type: null,
        issues: [{ field: '/type', rule: 'published-type' }],
      },
    ]);
  });

  it('dead-letters the original bytes, key and headers with the reason, and records the rejection', async () => {
    const { service, store, sender } = setup();
    const message = record('{oops', t.agency('police', 'tvp-niche'), 'k-1');
    const error = await rejection(service, message);
    await service.deadLetter(message, error);

    expect(store.rejections).toEqual([
      expect.objectContaining({
        family: 'police',
        sourceSystem: 'tvp-niche',
        code: 'EVENT_NOT_JSON',
        issues: [{ field: '/', rule: 'json' }],
        source: null,
        type: null,
        offset: message.offset,
      }),
    ]);
    expect(sender.sent).toHaveLength(1);
    const [dead] = sender.sent;
    expect(dead?.topic).toBe(t.deadLetter('police'));
    expect(dead?.message.key).toBe('k-1');
    expect(dead?.message.value).toEqual(Buffer.from('{oops'));
    expect(dead?.message.headers).toEqual({
      traceparent: '00-1-2-01',
      [DeadLetterHeaders.code]: 'EVENT_NOT_JSON',
      [DeadLetterHeaders.reason]: error.message,
      [DeadLetterHeaders.sourceTopic]: t.agency('police', 'tvp-niche'),
      [DeadLetterHeaders.sourcePartition]: '0',
      [DeadLetterHeaders.sourceOffset]: message.offset,
      [DeadLetterHeaders.rejectedAt]: '2025-11-22T08:00:00.000Z',
    });
  });

  it('consumes only the agency topics of its families', () => {
    expect(setup(staticDirectory, ['health']).service.topics).toEqual([t.agencyPattern('health')]);
  });
});

describe('ConnectorService runs', () => {
  /** A store whose batch insert records which run it stores and can be held until released. */
  class HeldStore extends MemoryStore {
    readonly storing: string[][] = [];
    hold: Promise<void> | undefined;
    async storeRawEvents(rows: readonly RawEventRow[]): Promise<StoreResult[]> {
      this.storing.push(rows.map((r) => r.event.id));
      await this.hold;
      const results: StoreResult[] = [];
      for (const row of rows) results.push(await this.storeRawEvent(row));
      return results;
    }
  }
  const run = (prefix: string, n: number) =>
    Array.from({ length: n }, (_, i) => record(notice(`${prefix}-${i}`)));
  const until = async (done: () => boolean) => {
    for (let i = 0; i < 100 && !done(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(done()).toBe(true);
  };

  it("checks one run at a time, the next while the one before is stored, and publishes each run's changes in order", async () => {
    const checked: string[] = [];
    // An uncached directory: each record's check awaits it, which would interleave two runs checked at once.
    const { service, sender } = setup({
      sourceSystem: async (code) => {
        await Promise.resolve();
        return sources[code] ?? null;
      },
      policy: async () => {
        throw new Error('not used');
      },
    });
    const store = new HeldStore();
    (service as unknown as { options: { store: IngestStore } }).options.store = store;
    const validate = validator.validateJson.bind(validator);
    jest.spyOn(validator, 'validateJson').mockImplementation((value) => {
      const result = validate(value);
      if (result.ok) checked.push(result.event.id);
      return result;
    });
    let release!: () => void;
    store.hold = new Promise((resolve) => (release = resolve));
    try {
      const first = service.handleBatch(run('a', 3));
      const second = service.handleBatch(run('b', 3));
      // The second run is checked and reaches its insert while the first is still being stored.
      await until(() => store.storing.length === 2);
      expect(checked).toEqual(['a-0', 'a-1', 'a-2', 'b-0', 'b-1', 'b-2']);
      expect(store.storing).toEqual([
        ['a-0', 'a-1', 'a-2'],
        ['b-0', 'b-1', 'b-2'],
      ]);
      expect(sender.sent).toEqual([]);
      release();
      const outcomes = await Promise.all([first, second]);
      expect(outcomes.map((o) => o.map((x) => [x.outcome, x.statusChange.eventId]))).toEqual([
        [
          ['accepted', 'a-0'],
          ['accepted', 'a-1'],
          ['accepted', 'a-2'],
        ],
        [
          ['accepted', 'b-0'],
          ['accepted', 'b-1'],
          ['accepted', 'b-2'],
        ],
      ]);
      expect(sender.sent.map((s) => s.message.value)).toEqual(outcomes.flat().map((o) => o.statusChange));
    } finally {
      jest.restoreAllMocks();
    }
  });

  it('lets the next run be checked after a run whose checks failed', async () => {
    let up = false;
    const { service, store, sender } = setup({
      sourceSystem: async (code) => {
        if (!up) throw new Error('http://agencies did not answer');
        return sources[code] ?? null;
      },
      policy: async () => {
        throw new Error('not used');
      },
    });
    const first = service.handleBatch(run('c', 2));
    await expect(first).rejects.toBeInstanceOf(DirectoryUnavailableError);
    up = true;
    const outcomes = await service.handleBatch(run('d', 2));
    expect(outcomes.map((o) => o.outcome)).toEqual(['accepted', 'accepted']);
    expect(store.raw.map((r) => r.event.id)).toEqual(['d-0', 'd-1']);
    expect(sender.sent).toHaveLength(2);
  });

  it("checks a run's records against the directory's held source systems without asking it", async () => {
    const asked: string[] = [];
    const { service, store } = setup({
      sourceSystem: async (code) => {
        asked.push(code);
        return sources[code] ?? null;
      },
      cachedSourceSystem: (code) => sources[code],
      policy: async () => {
        throw new Error('not used');
      },
    });
    const outcomes = await service.handleBatch([
      ...run('e', 2),
      record(notice('e-unknown', 'not-registered'), t.agency('police', 'not-registered')),
    ]);
    expect(outcomes.map((o) => o.statusChange.eventId)).toEqual(['e-0', 'e-1']);
    expect(store.raw.map((r) => r.event.id)).toEqual(['e-0', 'e-1']);
    // Only the code the directory does not hold is asked for, and it is rejected as unregistered.
    expect(asked).toEqual(['not-registered']);
    expect(store.rejections.map((r) => r.code)).toEqual(['EVENT_SOURCE_UNKNOWN']);
  });
});
