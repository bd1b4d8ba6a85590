import type { MigrationInterface, QueryRunner } from 'typeorm';
import { LZ4_SUPPORTED } from './1798200000000-case-snapshot-storage';

/**
 * The engine's case snapshots kept as `json` (the text as written) instead of `jsonb`. Nothing reads into a snapshot
 * in SQL: the engine writes each case's latest one whole and the clocks and actions read it whole into JavaScript,
 * so taking it apart into `jsonb` on every write (and putting the text back together on every read) bought nothing.
 * 1,000 snapshots of 2.5 KB upserted from a staged run (this machine, Postgres 15, 44 runs): 42.5 ms of the server's
 * CPU instead of 57.7, stored in 1,176 bytes on average instead of 1,295 (both compressed with LZ4). A change of
 * type resets the column's compression method to the server's default, so LZ4 is set again in the same statement
 * (where the server has it: `CaseSnapshotStorage1798200000000`), and the rewritten values are compressed with it;
 * the table's fill factor is kept.
 */
export class CaseSnapshotJson1798700000000 implements MigrationInterface {
  readonly name = 'CaseSnapshotJson1798700000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(retype('json'));
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(retype('jsonb'));
  }
}

/**
 * The column changed to `type`, its values rewritten, with LZ4 kept where the server has it. Back to `jsonb`, the
 * escape `\u0000` (which `json` keeps and `jsonb` refuses) becomes U+FFFD: a snapshot is the engine's copy of the
 * case as it last stood, written again whole by the case's next event.
 */
function retype(type: 'json' | 'jsonb'): string {
  const value =
    type === 'json' ? `"snapshot"::json` : `replace("snapshot"::text, '\\u0000', '\\ufffd')::jsonb`;
  const change = `ALTER TABLE "escalations"."case_snapshot" ALTER COLUMN "snapshot" TYPE ${type} USING ${value}`;
  return `DO $$ BEGIN
    IF ${LZ4_SUPPORTED} THEN
      ${change}, ALTER COLUMN "snapshot" SET COMPRESSION lz4;
    ELSE
      ${change};
    END IF;
  END $$`;
}
