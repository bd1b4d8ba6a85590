import { decodeCursor, encodeCursor, idPageOf, idPageRequest, pageRequest } from './pagination';

const uuid = '0b9f8a1e-2c1d-4f7a-9f51-1a2b3c4d5e01';

describe('cursor pagination', () => {
  it('round-trips a cursor', () => {
    expect(decodeCursor(encodeCursor({ key: 'id', id: uuid }))).toEqual({ key: 'id', id: uuid });
  });

  it.each([0, -1, 501, 1.5])('refuses first = %s with BAD_USER_INPUT on first', (first) => {
    expect(() => pageRequest(first, null, { defaultFirst: 50, max: 500 })).toThrow(
      expect.objectContaining({
        message: 'first must be between 1 and 500.',
        extensions: expect.objectContaining({ code: 'BAD_USER_INPUT', field: 'first' }),
      }),
    );
  });

  it.each(['nonsense', encodeCursor({ key: 'id', id: 'not-a-uuid' }), encodeCursor({ key: 'at', id: uuid })])(
    'refuses a cursor this list did not give out (%s)',
    (after) => {
      expect(() => idPageRequest(10, after)).toThrow(
        expect.objectContaining({
          extensions: expect.objectContaining({ code: 'BAD_USER_INPUT', field: 'after' }),
        }),
      );
    },
  );

  it('defaults first to 50 and cuts rows fetched with first + 1 to a page', () => {
    expect(idPageRequest(null, null)).toEqual({ first: 50 });
    const rows = [{ id: 'a' }, { id: 'b' }, { id: 'c' }];
    expect(idPageOf(rows, 2)).toEqual({
      nodes: [{ id: 'a' }, { id: 'b' }],
      pageInfo: { endCursor: encodeCursor({ key: 'id', id: 'b' }), hasNextPage: true },
    });
    expect(idPageOf(rows, 3).pageInfo.hasNextPage).toBe(false);
    expect(idPageOf([], 3).pageInfo).toEqual({ endCursor: null, hasNextPage: false });
  });
});
