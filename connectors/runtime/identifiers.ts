/**
 * NHS number check: 10 digits whose last is the modulus 11 check digit of the first nine (weights 10 down to 2).
 * A remainder giving check digit 10 means the number is invalid.
 */
export function isValidNhsNumber(value: string): boolean {
  if (!/^[0-9]{10}$/.test(value)) return false;
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(value[i]) * (10 - i);
  const check = 11 - (sum % 11);
  const expected = check === 11 ? 0 : check;
  return expected !== 10 && expected === Number(value[9]);
}

/** The 23 letters a Unique Pupil Number uses for its check letter and a temporary UPN's last character (no I, O, S). */
const UPN_LETTERS = 'ABCDEFGHJKLMNPQRTUVWXYZ';
const UPN_FORMAT = /^[A-HJ-NP-RT-Z][0-9]{11}[0-9A-HJ-NP-RT-Z]$/;

/**
 * Unique Pupil Number (DfE, schools in England) check: 13 characters, a check letter then 12 digits (a permanent
 * UPN), or 11 digits and a letter (a temporary one). The check letter is the sum of characters 2 to 13, each times
 * its position (2 to 13; a temporary UPN's last letter counted as its place in the 23 letters, A = 0), modulo 23,
 * as a letter (0 = A … 22 = Z, skipping I, O and S).
 */
export function isValidUpn(value: string): boolean {
  if (!UPN_FORMAT.test(value)) return false;
  let sum = 0;
  for (let position = 2; position <= 13; position++) {
    const char = value[position - 1]!;
    const digit = /[0-9]/.test(char) ? Number(char) : UPN_LETTERS.indexOf(char);
    sum += digit * position;
  }
  return UPN_LETTERS[sum % 23] === value[0];
}
