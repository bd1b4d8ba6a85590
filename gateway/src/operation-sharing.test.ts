import { LRUCache } from 'lru-cache';
import { operationKey } from './operation-sharing';

const alice = { token: 'token-a', requestId: 'r-1' };
const bob = { token: 'token-b', requestId: 'r-2' };
const board = {
  query: 'query Board { escalations(partnershipId: "p") { nodes { id } } }',
  variables: { a: 1 },
};
const post = (body: unknown, accept = 'application/json') => ({
  method: 'POST',
  search: '',
  body,
  headers: { accept },
});

describe('operationKey', () => {
  const kinds = () => new LRUCache<string, string>({ max: 10 });

  it('gives identical queries of one token the same key, and anything that changes the answer another', () => {
    const k = kinds();
    const key = operationKey(post(board), alice, k);
    expect(key).toBeDefined();
    expect(operationKey(post({ ...board }), { ...alice, requestId: 'r-9' }, k)).toBe(key);
    expect(operationKey(post(board), bob, k)).not.toBe(key);
    expect(operationKey(post({ ...board, variables: { a: 2 } }), alice, k)).not.toBe(key);
    expect(operationKey(post({ ...board, query: `${board.query} ` }), alice, k)).not.toBe(key);
    expect(operationKey(post(board, 'application/graphql-response+json'), alice, k)).not.toBe(key);
  });

  it('executes alone a mutation, a GET, a document that does not parse and a caller without a token', () => {
    const k = kinds();
    expect(operationKey(post({ query: 'mutation { markAllNotificationsRead }' }), alice, k)).toBeUndefined();
    expect(
      operationKey(post({ query: 'query A { a } mutation B { b }', operationName: 'B' }), alice, k),
    ).toBeUndefined();
    expect(operationKey({ ...post(board), method: 'GET' }, alice, k)).toBeUndefined();
    expect(operationKey(post({ query: 'query {' }), alice, k)).toBeUndefined();
    expect(operationKey(post(board), {}, k)).toBeUndefined();
    expect(operationKey(post('not an object'), alice, k)).toBeUndefined();
  });
});
