import { openDatabase, type DataSource } from '@mash/service-kit';
import { createTestDatabase, type TestDatabase } from '@test/support/database';
import { entities } from '../src/entities';
import { migrations } from '../src/migrations';
import { CaseSnapshotStorage1798200000000 } from '../src/migrations/1798200000000-case-snapshot-storage';
import { CaseSnapshotJson1798700000000 } from '../src/migrations/1798700000000-case-snapshot-json';

// Integration, with the real migrations: a case's snapshot, rewritten by the engine for every run that brings the
// case an event, is compressed with LZ4 where the server has it (pglz, Postgres's default, where it does not), on
// pages with room for the rewrite, kept as `json` (the text as written: nothing queries into it).

const PARTNERSHIP = '3f0e0000-0000-4000-8000-000000000001';

/** A snapshot of about 3 KB, over the 2 KB at which Postgres compresses a value. */
function snapshot(caseId: string): object {
  return {
    id: caseId,
    partnershipId: PARTNERSHIP,
    signals: Array.from({ length: 20 }, (_, i) => ({
      id: `3f0e0000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      kind: 'risk-assessment',
      occurredAt: `2026-06-${String(1 + i).padStart(2, '0')}T09:00:00.000Z`,
      facts: { score: i, level: 'standard' },
    })),
  };
}

describe('case snapshots compressed with LZ4, rewritten in place', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let lz4: boolean;

  async function store(caseId: string): Promise<string> {
    await ds.query(
      `INSERT INTO "escalations"."case_snapshot" ("case_id", "partnership_id", "snapshot", "updated_at")
       VALUES ($1, $2, $3, now())
       ON CONFLICT ("case_id") DO UPDATE SET "snapshot" = EXCLUDED."snapshot", "updated_at" = EXCLUDED."updated_at"`,
      [caseId, PARTNERSHIP, JSON.stringify(snapshot(caseId))],
    );
    const [row] = (await ds.query(
      `SELECT pg_column_compression("snapshot") AS "method" FROM "escalations"."case_snapshot" WHERE "case_id" = $1`,
      [caseId],
    )) as { method: string | null }[];
    return row!.method ?? 'none';
  }

  beforeAll(async () => {
    db = await createTestDatabase();
    ds = await openDatabase({
      url: db.url,
      schema: 'escalations',
      entities,
      migrations,
      applicationName: 'case-snapshot-compression-test',
    });
    const [row] = (await ds.query(
      `SELECT 'lz4' = ANY("enumvals") AS "lz4" FROM pg_settings WHERE "name" = 'default_toast_compression'`,
    )) as { lz4: boolean }[];
    lz4 = row!.lz4;
  });

  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  /** Undoes the storage migration (and any that came after it). */
  const undoStorage = async () => {
    for (let n = migrations.length - migrations.indexOf(CaseSnapshotStorage1798200000000); n > 0; n--) {
      await ds.undoLastMigration({ transaction: 'each' });
    }
  };

  const options = async (): Promise<string[] | null> => {
    const [row] = (await ds.query(
      `SELECT "reloptions" AS "options" FROM pg_class WHERE "oid" = '"escalations"."case_snapshot"'::regclass`,
    )) as { options: string[] | null }[];
    return row!.options;
  };

  it('writes a snapshot with LZ4 where the server has it, and with pglz once the migration is undone', async () => {
    expect(await store('case-1')).toBe(lz4 ? 'lz4' : 'pglz');
    await undoStorage();
    // Rewritten after the undo: the server's default again.
    expect(await store('case-1')).toBe('pglz');
    await ds.runMigrations({ transaction: 'each' });
    expect(await store('case-1')).toBe(lz4 ? 'lz4' : 'pglz');
  });

  const columnType = async (): Promise<string> => {
    const [row] = (await ds.query(
      `SELECT format_type("atttypid", "atttypmod") AS "type" FROM pg_attribute
        WHERE "attrelid" = '"escalations"."case_snapshot"'::regclass AND "attname" = 'snapshot'`,
    )) as { type: string }[];
    return row!.type;
  };

  it('keeps snapshots as json, still compressed with LZ4, and as jsonb once that migration is undone', async () => {
    expect(await columnType()).toBe('json');
    await store('case-json');
    expect(await store('case-json')).toBe(lz4 ? 'lz4' : 'pglz');
    const [read] = (await ds.query(
      `SELECT "snapshot" FROM "escalations"."case_snapshot" WHERE "case_id" = 'case-json'`,
    )) as { snapshot: unknown }[];
    expect(read!.snapshot).toEqual(snapshot('case-json'));
    // json keeps the escape \u0000, which jsonb refuses: undone, it becomes U+FFFD.
    await ds.query(
      `INSERT INTO "escalations"."case_snapshot" ("case_id", "partnership_id", "snapshot", "updated_at")
       VALUES ('case-nul', $1, '{"id":"case-nul","note":"a\\u0000b"}', now())`,
      [PARTNERSHIP],
    );
    for (let n = migrations.length - migrations.indexOf(CaseSnapshotJson1798700000000); n > 0; n--) {
      await ds.undoLastMigration({ transaction: 'each' });
    }
    expect(await columnType()).toBe('jsonb');
    const [nul] = (await ds.query(
      `SELECT "snapshot" FROM "escalations"."case_snapshot" WHERE "case_id" = 'case-nul'`,
    )) as { snapshot: unknown }[];
    expect(nul!.snapshot).toEqual({ id: 'case-nul', note: 'a\ufffdb' });
    await ds.query(`DELETE FROM "escalations"."case_snapshot" WHERE "case_id" = 'case-nul'`);
    // The values rewritten by the undo, and a new one, keep LZ4 (the storage migration still holds).
    const [kept] = (await ds.query(
      `SELECT pg_column_compression("snapshot") AS "method", "snapshot" FROM "escalations"."case_snapshot"
        WHERE "case_id" = 'case-json'`,
    )) as { method: string; snapshot: unknown }[];
    expect(kept).toEqual({ method: lz4 ? 'lz4' : 'pglz', snapshot: snapshot('case-json') });
    expect(await store('case-json')).toBe(lz4 ? 'lz4' : 'pglz');
    await ds.runMigrations({ transaction: 'each' });
    expect(await columnType()).toBe('json');
    expect(await store('case-json')).toBe(lz4 ? 'lz4' : 'pglz');
  });

  it('leaves room on each page for a snapshot to be rewritten in place, and none once undone', async () => {
    expect(await options()).toEqual(['fillfactor=70']);
    await undoStorage();
    expect(await options()).toBeNull();
    await ds.runMigrations({ transaction: 'each' });
    expect(await options()).toEqual(['fillfactor=70']);
  });
});
