import { isValidNhsNumber, isValidUpn } from '@mash/connectors';
import { nhsNumber, upn } from './identifiers';

describe('test identifiers pass the connectors’ checks', () => {
  it.each([0, 1, 7, 42, 1000, 9_999_999])(
    'identifiers made from %i are valid and differ from the next',
    (n) => {
      expect(isValidNhsNumber(nhsNumber(n))).toBe(true);
      expect(isValidUpn(upn(n))).toBe(true);
      expect(nhsNumber(n)).not.toBe(nhsNumber(n + 1));
      expect(upn(n)).not.toBe(upn(n + 1));
    },
  );
});
