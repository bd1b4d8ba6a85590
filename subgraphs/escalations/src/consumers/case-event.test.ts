import { parseCaseEvent } from './case-event';

const valid = {
  statusChange: { id: 'sc-1' },
  case: {
    id: 'case-1',
    partnershipId: 'p-1',
    involvements: [],
    positions: [{ agencyId: 'a', asOf: '2026-06-01T09:00:00Z' }],
  },
};
const codeOf = (value: Buffer | null): unknown => {
  try {
    parseCaseEvent(value);
  } catch (err) {
    return (err as { code?: unknown }).code;
  }
  return undefined;
};

describe('reading a case event', () => {
  it('accepts a well-formed event', () => {
    expect(parseCaseEvent(Buffer.from(JSON.stringify(valid))).case.id).toBe('case-1');
  });

  it('sets aside a value that is not JSON as EVENT_NOT_JSON', () => {
    expect(codeOf(Buffer.from('{nope'))).toBe('EVENT_NOT_JSON');
    expect(codeOf(null)).toBe('EVENT_NOT_JSON');
  });

  it('sets aside an event without a case as EVENT_DATA_INVALID', () => {
    expect(codeOf(Buffer.from(JSON.stringify({ statusChange: { id: 'x' } })))).toBe('EVENT_DATA_INVALID');
  });

  it('sets aside an event whose position has no valid date as EVENT_DATA_INVALID', () => {
    const bad = { ...valid, case: { ...valid.case, positions: [{ agencyId: 'a', asOf: 'yesterday' }] } };
    expect(codeOf(Buffer.from(JSON.stringify(bad)))).toBe('EVENT_DATA_INVALID');
  });
});
