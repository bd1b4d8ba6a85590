// Valid agency identifiers for test subjects: the connectors check an NHS number's check digit and a Unique Pupil
// Number's check letter, so made-up values must carry the right ones.

/** An NHS number made from `n` (below 10,000,000), distinct for each: its ninth digit is the first that a check digit can complete. */
export function nhsNumber(n: number): string {
  const eight = `9${String(n % 10_000_000).padStart(7, '0')}`;
  for (let d = 0; d <= 9; d++) {
    const nine = `${eight}${d}`;
    let sum = 0;
    for (let i = 0; i < 9; i++) sum += Number(nine[i]) * (10 - i);
    const check = (11 - (sum % 11)) % 11;
    if (check !== 10) return `${nine}${check}`;
  }
  throw new Error('unreachable: some ninth digit always gives a check digit');
}

const UPN_LETTERS = 'ABCDEFGHJKLMNPQRTUVWXYZ';

/** A permanent Unique Pupil Number made from `n` (below 100,000,000), with its check letter. */
export function upn(n: number): string {
  const digits = `8012${String(n % 100_000_000).padStart(8, '0')}`;
  let sum = 0;
  for (let position = 2; position <= 13; position++) sum += Number(digits[position - 2]) * position;
  return `${UPN_LETTERS[sum % 23]}${digits}`;
}
