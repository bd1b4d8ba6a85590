import { isValidUpn } from './identifiers';

describe('Unique Pupil Number check', () => {
  it.each([
    ['B801200005001', 'a permanent UPN (sum 93, remainder 1: B)'],
    ['H801200001001', 'a permanent UPN (sum 53, remainder 7: H)'],
    ['P207000016049', 'a permanent UPN (sum 266, remainder 13: P, after skipping I and O)'],
    ['M80120000500A', 'a temporary UPN, its last letter counted as 0'],
  ])('accepts %s: %s', (upn) => {
    expect(isValidUpn(upn)).toBe(true);
  });

  it.each([
    ['A801200005001', 'a wrong check letter'],
    ['Q207000016049', 'the letter for remainder 14 on a number whose remainder is 13'],
    ['I801200005001', 'I, which is never a check letter'],
    ['M80120000500O', 'O as the last letter of a temporary UPN'],
    ['B80120000500', '12 characters'],
    ['b801200005001', 'a lower-case check letter'],
    ['B8012000050A1', 'a letter among the digits'],
    ['', 'nothing'],
  ])('rejects %s: %s', (upn) => {
    expect(isValidUpn(upn)).toBe(false);
  });
});
