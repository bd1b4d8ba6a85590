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
