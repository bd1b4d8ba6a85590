// scripts/patches/kafkajs+2.2.4.patch also decodes each fetched record's offset and timestamp in Number arithmetic
// (kafkajs 2.2.4 parses the batch's first offset and timestamp into a BigInt-backed Long for every record, and reads
// the timestamp's varint with a Long operation per byte), falling back to Long wherever a Number would not be exact.
// The answers must be the ones Long arithmetic gives (BigInt sums, not wrapped to 64 bits): here they are checked
// against BigInt.
/* eslint-disable @typescript-eslint/no-require-imports */
const Long = require('kafkajs/src/utils/long') as { fromValue(v: string | number | bigint): unknown };
const Decoder = require('kafkajs/src/protocol/decoder') as new (buffer: Buffer) => {
  readVarLongAsNumber?: () => unknown;
};
const Encoder = require('kafkajs/src/protocol/encoder') as new () => {
  writeVarLong(value: unknown): { buffer: Buffer };
};
const { RecordBatch } = require('kafkajs/src/protocol/recordBatch/v0') as {
  RecordBatch(args: object): Promise<{ buffer: Buffer }>;
};
const Record = require('kafkajs/src/protocol/recordBatch/record/v0') as (args: object) => unknown;
const decodeBatch = require('kafkajs/src/protocol/recordBatch/v0/decoder') as (decoder: unknown) => Promise<{
  records: { offset: string; timestamp: string; key: Buffer; value: Buffer }[];
}>;
/* eslint-enable @typescript-eslint/no-require-imports */

/** A batch of records at `firstOffset + delta` written at `firstTimestamp + delta`, decoded back. */
async function roundTrip(
  firstOffset: string,
  firstTimestamp: string,
  deltas: readonly (readonly [number, bigint])[],
) {
  const records = deltas.map(([offsetDelta, timestampDelta], i) =>
    Record({
      offsetDelta,
      timestampDelta: Long.fromValue(timestampDelta),
      key: Buffer.from(`k${i}`),
      value: Buffer.from(`v${i}`),
    }),
  );
  const { buffer } = await RecordBatch({
    firstOffset: Long.fromValue(firstOffset),
    firstTimestamp: Long.fromValue(firstTimestamp),
    maxTimestamp: Long.fromValue(firstTimestamp),
    lastOffsetDelta: Math.max(...deltas.map(([o]) => o)),
    records,
  });
  return (await decodeBatch(new Decoder(buffer))).records;
}

describe("kafkajs's record decoding (patched)", () => {
  it('is the patched one (installed by npm install)', () => {
    expect(typeof new Decoder(Buffer.alloc(0)).readVarLongAsNumber).toBe('function');
  });

  it.each([
    ['small offsets and timestamps', '0', '1764547200000'],
    ['offsets just below 2^53, their sums beyond it', '9007199254740980', '1764547200000'],
    ['offsets beyond 2^53', '9223372036854775000', '1764547200000'],
    ['a timestamp before 1970', '12345', '-86400000'],
    ['timestamps beyond 2^53', '12345', '9007199254740000'],
  ])(
    'gives the offsets and timestamps Long arithmetic gives: %s',
    async (_name, firstOffset, firstTimestamp) => {
      const deltas: [number, bigint][] = [
        [0, 0n],
        [1, 1n],
        [2, -1n],
        [3, 999n],
        [5, -123456789n],
        [8, 2n ** 48n - 1n], // the longest varint read as a Number (7 bytes)
        [13, -(2n ** 48n)],
        [21, 2n ** 48n], // 8 bytes: read as a Long
        [34, 2n ** 62n],
        [55, -(2n ** 63n) + 1n],
        [2 ** 31 - 1, 17n],
      ];
      const records = await roundTrip(firstOffset, firstTimestamp, deltas);
      expect(records.map((r) => [r.offset, r.timestamp, r.key.toString(), r.value.toString()])).toEqual(
        deltas.map(([o, t], i) => [
          (BigInt(firstOffset) + BigInt(o)).toString(),
          (BigInt(firstTimestamp) + t).toString(),
          `k${i}`,
          `v${i}`,
        ]),
      );
    },
  );

  it('reads every varint as readVarLong does, stopping where it stops', () => {
    const values = [
      0n,
      1n,
      -1n,
      63n,
      -64n,
      64n,
      2n ** 48n - 1n,
      -(2n ** 48n),
      2n ** 48n,
      2n ** 63n - 1n,
      -(2n ** 63n),
    ];
    for (const value of values) {
      const bytes = Buffer.concat([
        new Encoder().writeVarLong(Long.fromValue(value)).buffer,
        Buffer.from([0x2a]),
      ]);
      const decoder = new Decoder(bytes) as unknown as { readVarLongAsNumber(): unknown; readInt8(): number };
      const read = decoder.readVarLongAsNumber();
      expect(String(read)).toBe(value.toString());
      expect(decoder.readInt8()).toBe(0x2a);
    }
  });
});
