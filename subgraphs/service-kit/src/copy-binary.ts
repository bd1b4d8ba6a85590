import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { EntityManager } from 'typeorm';

/**
 * A column as `COPY … FROM STDIN (FORMAT binary)` sends it: `text` and `json` as their UTF-8 bytes, `jsonb` the same
 * after its version byte, `int4` as four bytes. Postgres still reads a `json` or `jsonb` value's text (it checks it,
 * and takes a `jsonb` apart), but finds each field by its length instead of scanning the data for delimiters and
 * escapes. Anything whose text Postgres should judge itself (uuids, timestamps: `2026-02-30` is refused there, not
 * here) goes as `text` and is cast in SQL.
 */
export type CopyBinaryType = 'text' | 'json' | 'jsonb' | 'int4';

/** A field's value: text for the text types, an integer for `int4`; `null` for SQL NULL. */
export type CopyBinaryValue = string | number | null;

/** The signature, flags and header extension length that open binary `COPY` data. */
const HEADER = Buffer.from([
  0x50, 0x47, 0x43, 0x4f, 0x50, 0x59, 0x0a, 0xff, 0x0d, 0x0a, 0x00, 0, 0, 0, 0, 0, 0, 0, 0,
]);
/** The version byte that opens a `jsonb` value in binary form. */
const JSONB_VERSION = 1;
const INT4_MIN = -2_147_483_648;
const INT4_MAX = 2_147_483_647;

/**
 * A text value UTF-8 cannot carry (an unpaired UTF-16 surrogate). Coded as Postgres codes the same refusal
 * (`22021`, character not in repertoire), so a consumer isolates and dead-letters the record that brought it, as it
 * did when such a value reached Postgres inside a JSON document (`jsonb` refuses it); written out as UTF-8 it would
 * have been stored silently as U+FFFD instead.
 */
export class CopyValueError extends Error {
  readonly code = '22021';

  constructor(row: number, column: number, type: CopyBinaryType) {
    super(`binary COPY: row ${row}, column ${column} (${type}) holds an unpaired UTF-16 surrogate`);
    this.name = 'CopyValueError';
  }
}

function fieldError(row: number, column: number, type: CopyBinaryType, value: unknown): TypeError {
  return new TypeError(
    `binary COPY: row ${row}, column ${column} (${type}) cannot hold ${typeof value === 'number' ? value : typeof value}`,
  );
}

/**
 * The rows as the data of a binary `COPY … FROM STDIN`, each row's fields in `types`' order. Throws a `TypeError`
 * naming the row and column for a value its column cannot hold (a number for a text column, a fraction or an
 * integer outside 32 bits for `int4`, a row of the wrong width), before anything is sent.
 */
export function copyBinaryData(
  types: readonly CopyBinaryType[],
  rows: readonly (readonly CopyBinaryValue[])[],
): Buffer {
  const width = types.length;
  let size = HEADER.length + 2;
  const lengths = new Int32Array(rows.length * width);
  rows.forEach((row, r) => {
    if (row.length !== width) {
      throw new TypeError(`binary COPY: row ${r} has ${row.length} fields, the columns ${width}`);
    }
    size += 2;
    for (let c = 0; c < width; c++) {
      const value = row[c];
      const type = types[c]!;
      let length: number;
      if (value === null) length = -1;
      else if (type === 'int4') {
        if (typeof value !== 'number' || !Number.isInteger(value) || value < INT4_MIN || value > INT4_MAX) {
          throw fieldError(r, c, type, value);
        }
        length = 4;
      } else {
        if (typeof value !== 'string') throw fieldError(r, c, type, value);
        if (!(value as string & { isWellFormed(): boolean }).isWellFormed())
          throw new CopyValueError(r, c, type);
        length = Buffer.byteLength(value) + (type === 'jsonb' ? 1 : 0);
      }
      lengths[r * width + c] = length;
      size += 4 + Math.max(length, 0);
    }
  });
  const data = Buffer.allocUnsafe(size);
  let at = HEADER.copy(data, 0);
  rows.forEach((row, r) => {
    at = data.writeInt16BE(width, at);
    for (let c = 0; c < width; c++) {
      const length = lengths[r * width + c]!;
      at = data.writeInt32BE(length, at);
      if (length < 0) continue;
      const type = types[c]!;
      if (type === 'int4') at = data.writeInt32BE(row[c] as number, at);
      else {
        if (type === 'jsonb') at = data.writeUInt8(JSONB_VERSION, at);
        at += data.write(row[c] as string, at);
      }
    }
  });
  data.writeInt16BE(-1, at);
  return data;
}

/**
 * Runs `COPY <target> FROM STDIN (FORMAT binary)` with the rows (`copyBinaryData`), in the manager's transaction
 * when it has one, else on a connection of its own. A `COPY` Postgres refuses rejects with its error (and code);
 * the pooled connection stays usable.
 */
export async function copyRowsIn(
  manager: EntityManager,
  target: string,
  types: readonly CopyBinaryType[],
  rows: readonly (readonly CopyBinaryValue[])[],
): Promise<void> {
  const data = copyBinaryData(types, rows);
  const runner = manager.queryRunner ?? manager.connection.createQueryRunner();
  try {
    const client = (await runner.connect()) as PoolClient;
    const copy = client.query(copyFrom(`COPY ${target} FROM STDIN (FORMAT binary)`));
    await new Promise<void>((resolve, reject) => {
      copy.on('error', reject);
      copy.on('finish', resolve);
      copy.end(data);
    });
  } finally {
    if (!manager.queryRunner) await runner.release();
  }
}

/** A temporary table a transaction stages rows in (`stageRows`): its name and its columns, in the rows' order. */
export interface StagingTable {
  readonly name: string;
  readonly columns: readonly { readonly name: string; readonly type: CopyBinaryType }[];
}

/**
 * Stages `rows` in the session's temporary table `pg_temp."<name>"` (created on first use, `ON COMMIT DELETE ROWS`)
 * for the caller's transaction to read, with one binary `COPY`, so that a set-based statement (an `INSERT … SELECT …
 * ON CONFLICT`, an upsert, a join) takes a run's rows from a table instead of from one large parameter. Passing a
 * run as one JSON document (`jsonb_to_recordset($1::jsonb)`) made Postgres parse the whole document into `jsonb`
 * when binding it and then take each row's fields out of it again: for 2,000 connector events, 57 ms of the
 * server's CPU against 28 ms staged (`docs/ARCHITECTURE.md`, the batch path). Rows staged earlier in the same
 * transaction are removed first; the commit empties the table (a rollback leaves only dead rows, which the next
 * commit truncates). Needs a transaction: outside one, the rows would be gone before any statement read them.
 */
export async function stageRows(
  manager: EntityManager,
  table: StagingTable,
  rows: readonly (readonly CopyBinaryValue[])[],
): Promise<void> {
  if (!manager.queryRunner?.isTransactionActive) {
    throw new Error(`stageRows("${table.name}") needs a transaction: its rows last until the commit`);
  }
  const columns = table.columns.map((c) => `"${c.name}" ${c.type}`).join(', ');
  // One round trip, no parameters (the simple protocol takes the two statements); the table is the session's own,
  // so its creation is never seen by another session. The DELETE finds nothing after a commit (which truncated the
  // table); after a rollback it passes over the dead rows left, until the next commit truncates them. A change to a
  // staging table's columns needs a new name: an existing table is kept as it is (IF NOT EXISTS).
  await manager.query(
    `CREATE TEMPORARY TABLE IF NOT EXISTS "${table.name}" (${columns}) ON COMMIT DELETE ROWS;
     DELETE FROM pg_temp."${table.name}"`,
  );
  if (rows.length === 0) return;
  await copyRowsIn(
    manager,
    `pg_temp."${table.name}" (${table.columns.map((c) => `"${c.name}"`).join(', ')})`,
    table.columns.map((c) => c.type),
    rows,
  );
}
