import { isJsonContentType } from './http-body';

describe('the GraphQL POST content type', () => {
  it.each([
    ['application/json', true],
    ['application/json; charset=utf-8', true],
    ['Application/JSON;charset=UTF-8', true],
    ['application/graphql-response+json', true],
    ['application/json; charset=latin1', false],
    ['text/plain', false],
    ['application/x-www-form-urlencoded', false],
    [undefined, false],
  ])('%s is accepted: %s', (header, accepted) => {
    expect(isJsonContentType(header)).toBe(accepted);
  });
});
