import { copyBinaryData, CopyValueError } from './copy-binary';

// The byte layout of PostgreSQL's binary COPY format ("COPY", File Formats, Binary Format): a fixed header, each
// tuple its field count and each field its length (-1 for NULL) and bytes, then -1 as the trailer.
const HEADER = Buffer.concat([Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1'), Buffer.alloc(8)]);

function int16(n: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeInt16BE(n);
  return b;
}

function int32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
}

describe('copyBinaryData', () => {
  it('writes the header, each field with its length, NULL as -1, and the trailer', () => {
    const data = copyBinaryData(
      ['int4', 'text', 'json', 'jsonb'],
      [
        [7, 'ab', '{"a":1}', '{"b":2}'],
        [-1, null, '[]', null],
      ],
    );
    expect(data).toEqual(
      Buffer.concat([
        HEADER,
        int16(4),
        int32(4),
        int32(7),
        int32(2),
        Buffer.from('ab'),
        int32(7),
        Buffer.from('{"a":1}'),
        int32(8),
        Buffer.from([1]),
        Buffer.from('{"b":2}'),
        int16(4),
        int32(4),
        int32(-1),
        int32(-1),
        int32(2),
        Buffer.from('[]'),
        int32(-1),
        int16(-1),
      ]),
    );
  });

  it('counts a field in UTF-8 bytes, not characters', () => {
    const text = 'é€😀\t\n\\';
    const data = copyBinaryData(['text'], [[text]]);
    const length = Buffer.byteLength(text);
    expect(length).toBe(2 + 3 + 4 + 3);
    expect(data.readInt32BE(HEADER.length + 2)).toBe(length);
    expect(data.subarray(HEADER.length + 6, HEADER.length + 6 + length).toString('utf8')).toBe(text);
    expect(data.length).toBe(HEADER.length + 2 + 4 + length + 2);
  });

  it('is only the header and trailer for no rows', () => {
    expect(copyBinaryData(['text'], [])).toEqual(Buffer.concat([HEADER, int16(-1)]));
  });

  it('refuses text UTF-8 cannot carry (an unpaired surrogate) with the code Postgres gives it, in any text type', () => {
    for (const type of ['text', 'json', 'jsonb'] as const) {
      expect(() =>
        copyBinaryData(
          ['text', type],
          [
            ['ok', 'ok'],
            ['ok', 'a\ud800b'],
          ],
        ),
      ).toThrow(new CopyValueError(1, 1, type));
    }
    expect(() => copyBinaryData(['text'], [['\udc00']])).toThrow(CopyValueError);
    expect(new CopyValueError(0, 0, 'text')).toMatchObject({ code: '22021' });
    // A pair is one character (four UTF-8 bytes), not refused.
    expect(copyBinaryData(['text'], [['\ud83d\ude00']]).readInt32BE(21)).toBe(4);
  });

  it('refuses a value its column cannot hold, naming the row and column, before writing anything', () => {
    expect(() => copyBinaryData(['int4'], [[1], [2.5]])).toThrow(
      'binary COPY: row 1, column 0 (int4) cannot hold 2.5',
    );
    expect(() => copyBinaryData(['int4'], [[2 ** 31]])).toThrow(
      'row 0, column 0 (int4) cannot hold 2147483648',
    );
    expect(() => copyBinaryData(['int4'], [['1']])).toThrow('row 0, column 0 (int4) cannot hold string');
    expect(() => copyBinaryData(['text', 'text'], [['a', 3]])).toThrow(
      'row 0, column 1 (text) cannot hold 3',
    );
    expect(() => copyBinaryData(['text', 'text'], [['a']])).toThrow(
      'binary COPY: row 0 has 1 fields, the columns 2',
    );
  });
});
