import { openDatabase, type DataSource } from '@mash/service-kit';
import { Client } from 'pg';
import { createTestDatabase, type TestDatabase } from '@test/support/database';
import type { CloudEvent } from '@mash/schema';
import { INGEST_SCHEMA, ingestMigrations } from './migrations';
import { SourceHealthRepository } from './source-health';
import { statusChangeId } from './status-change';
import { PostgresIngestStore, type RawEventRow } from './store';

// Integration, on a real Postgres: the connector's counts are kept per partition, so runs of two partitions stored
// at once never wait for each other, and readers see one total.
jest.setTimeout(60_000);

const topic = 'st.mash.agency.police.tvp-niche.v1';
const source = 'urn:mash:source:tvp-niche';
const type = 'uk.mash.police.dash-assessment.v1';

let database: TestDatabase;
let dataSource: DataSource;
let store: PostgresIngestStore;
let health: SourceHealthRepository;

function rows(partition: number, from: number, count: number): RawEventRow[] {
  return Array.from({ length: count }, (_, i) => {
    const event: CloudEvent = {
      specversion: '1.0',
      id: `p${partition}-${from + i}`,
      source,
      type,
      time: '2026-11-30T09:00:00.000Z',
      datacontenttype: 'application/json',
      data: {
        subject: { system: 'police-person-id', value: `NICHE-${from + i}` },
        score: 3,
        level: 'standard',
      },
    };
    return {
      id: statusChangeId(source, event.id),
      family: 'police',
      event,
      receivedAt: '2026-11-30T09:00:01.000Z',
      topic,
      partition,
      offset: String(from + i),
    };
  });
}

/** A run of `partition` in flight: its count row written and locked in a transaction that is not committed yet. */
async function holdPartition(partition: number): Promise<Client> {
  const client = new Client({ connectionString: database.url });
  await client.connect();
  await client.query('BEGIN');
  await client.query(
    `INSERT INTO "ingest"."event_count" ("source_system", "type", "outcome", "code", "partition", "count", "last_at")
     VALUES ('tvp-niche', $1, 'accepted', '', $2, 1, now())
     ON CONFLICT ("source_system", "type", "outcome", "code", "partition")
     DO UPDATE SET "count" = "event_count"."count" + 1`,
    [type, partition],
  );
  return client;
}

const settledWithin = async (work: Promise<unknown>, ms: number): Promise<boolean> =>
  Promise.race([
    work.then(() => true),
    new Promise<boolean>((resolve) => setTimeout(() => resolve(false), ms)),
  ]);

beforeAll(async () => {
  database = await createTestDatabase();
  dataSource = await openDatabase({
    url: database.url,
    schema: INGEST_SCHEMA,
    entities: [],
    migrations: ingestMigrations,
    applicationName: 'store-int-test',
    poolSize: 4,
  });
  store = new PostgresIngestStore(dataSource);
  health = new SourceHealthRepository(dataSource);
});

afterAll(async () => {
  await dataSource?.destroy();
  await database?.drop();
});

describe('raw events counted per partition', () => {
  it("stores one partition's run while another partition's run holds its counts, and waits for its own", async () => {
    await store.storeRawEvents(rows(0, 1, 3));
    const held = await holdPartition(0);
    try {
      // Partition 1's run counts the same source system and type: it does not wait for partition 0's.
      const other = store.storeRawEvents(rows(1, 1, 4));
      expect(await settledWithin(other, 5_000)).toBe(true);
      expect(await other).toEqual(Array.from({ length: 4 }, () => ({ stored: true })));

      // Another run of partition 0 (a second instance during a rebalance) waits for the one in flight.
      const same = store.storeRawEvents(rows(0, 4, 2));
      expect(await settledWithin(same, 500)).toBe(false);
      await held.query('COMMIT');
      expect(await same).toEqual([{ stored: true }, { stored: true }]);
    } finally {
      await held.end();
    }

    // One total per source system, type and outcome: 3 + 4 + 2 stored, and the held run's 1.
    expect(await health.counts('tvp-niche')).toEqual([
      { sourceSystem: 'tvp-niche', type, outcome: 'accepted', code: '', count: 10, lastAt: expect.any(Date) },
    ]);
    const perPartition = (await dataSource.query(
      `SELECT "partition", "count"::int AS "count" FROM "ingest"."event_count" ORDER BY 1`,
    )) as { partition: number; count: number }[];
    expect(perPartition).toEqual([
      { partition: 0, count: 6 },
      { partition: 1, count: 4 },
    ]);
  });

  it('counts duplicates and rejections in the partition of the record', async () => {
    await store.recordDuplicate({
      rawEventId: statusChangeId(source, 'p1-1'),
      family: 'police',
      topic,
      partition: 2,
      offset: '90',
      receivedAt: '2026-11-30T09:05:00.000Z',
      payloadDiffers: false,
    });
    await store.recordRejection({
      topic,
      partition: 3,
      offset: '91',
      family: 'police',
      sourceSystem: 'tvp-niche',
      code: 'EVENT_DATA_INVALID',
      reason: '/data/score: must be integer',
      issues: [{ field: '/data/score', rule: 'type' }],
      source,
      type,
      receivedAt: '2026-11-30T09:06:00.000Z',
    });
    const found = (await dataSource.query(
      `SELECT "outcome", "code", "partition", "count"::int AS "count" FROM "ingest"."event_count"
        WHERE "outcome" <> 'accepted' ORDER BY 1`,
    )) as unknown[];
    expect(found).toEqual([
      { outcome: 'duplicate', code: '', partition: 2, count: 1 },
      { outcome: 'rejected', code: 'EVENT_DATA_INVALID', partition: 3, count: 1 },
    ]);
  });

  it('adds the partitions up when the migration is undone, and splits nothing when it is applied again', async () => {
    // The raw events' key migration came after the per-partition counts: undone first.
    await dataSource.undoLastMigration({ transaction: 'each' });
    await dataSource.undoLastMigration({ transaction: 'each' });
    const totals = (await dataSource.query(
      `SELECT "outcome", "code", "count"::int AS "count" FROM "ingest"."event_count" ORDER BY 1`,
    )) as unknown[];
    expect(totals).toEqual([
      { outcome: 'accepted', code: '', count: 10 },
      { outcome: 'duplicate', code: '', count: 1 },
      { outcome: 'rejected', code: 'EVENT_DATA_INVALID', count: 1 },
    ]);
    await dataSource.runMigrations({ transaction: 'each' });
    expect(await health.counts('tvp-niche')).toEqual([
      { sourceSystem: 'tvp-niche', type, outcome: 'accepted', code: '', count: 10, lastAt: expect.any(Date) },
      { sourceSystem: 'tvp-niche', type, outcome: 'duplicate', code: '', count: 1, lastAt: expect.any(Date) },
      {
        sourceSystem: 'tvp-niche',
        type,
        outcome: 'rejected',
        code: 'EVENT_DATA_INVALID',
        count: 1,
        lastAt: expect.any(Date),
      },
    ]);
  });
});

describe('raw events keyed by their id alone', () => {
  const indexes = async () =>
    (
      (await dataSource.query(
        `SELECT "indexname" FROM "pg_indexes" WHERE "schemaname" = 'ingest' AND "tablename" = 'raw_event' ORDER BY 1`,
      )) as { indexname: string }[]
    ).map((r) => r.indexname);

  it('has no second unique index on the source and id: a replay is recognised by the id they name', async () => {
    expect(await indexes()).toEqual(['raw_event_family_received_at_idx', 'raw_event_pkey']);
    const [first] = rows(5, 1, 1);
    expect(await store.storeRawEvents([first!])).toEqual([{ stored: true }]);
    // The same event read again at another position, in a run with a new one and with itself twice.
    const again = { ...first!, offset: '40', receivedAt: '2026-11-30T10:00:00.000Z' };
    const [fresh] = rows(5, 2, 1);
    const original = {
      topic,
      partition: 5,
      offset: '1',
      receivedAt: '2026-11-30T09:00:01.000Z',
      event: first!.event,
    };
    expect(await store.storeRawEvents([again, fresh!, { ...again, offset: '41' }])).toEqual([
      { stored: false, original },
      { stored: true },
      { stored: false, original },
    ]);
    expect(await store.storeRawEvent({ ...again, offset: '42' })).toEqual({ stored: false, original });
    const stored = (await dataSource.query(
      `SELECT "id", "offset"::int AS "offset" FROM "ingest"."raw_event" WHERE "partition" = 5 ORDER BY 2`,
    )) as unknown[];
    expect(stored).toEqual([
      { id: statusChangeId(source, 'p5-1'), offset: 1 },
      { id: statusChangeId(source, 'p5-2'), offset: 2 },
    ]);
  });

  it('builds the unique constraint again when the migration is undone, and drops it when applied again', async () => {
    await dataSource.undoLastMigration({ transaction: 'each' });
    expect(await indexes()).toEqual([
      'raw_event_family_received_at_idx',
      'raw_event_pkey',
      'raw_event_source_event_id_key',
    ]);
    await dataSource.runMigrations({ transaction: 'each' });
    expect(await indexes()).toEqual(['raw_event_family_received_at_idx', 'raw_event_pkey']);
  });
});
