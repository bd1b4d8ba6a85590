import { iso } from './time';

describe('iso', () => {
  it('gives the instant as the case records keep it, the same when asked again', () => {
    expect(iso('2026-06-01T10:00:00+01:00')).toBe('2026-06-01T09:00:00.000Z');
    expect(iso('2026-06-01T10:00:00+01:00')).toBe('2026-06-01T09:00:00.000Z');
    expect(iso('2026-06-01T09:00:00Z')).toBe('2026-06-01T09:00:00.000Z');
    expect(iso('2026-06-01T09:00:00.000Z')).toBe('2026-06-01T09:00:00.000Z');
  });

  it('refuses a time that is no instant, every time it is asked', () => {
    expect(() => iso('not a time')).toThrow(RangeError);
    expect(() => iso('not a time')).toThrow(RangeError);
  });

  it('answers right after forgetting what it kept', () => {
    const times = Array.from({ length: 5000 }, (_, i) => new Date(Date.UTC(2026, 0, 1) + i * 60_000));
    for (const t of times) expect(iso(t.toISOString().replace('.000Z', 'Z'))).toBe(t.toISOString());
    expect(iso(times[0]!.toISOString().replace('.000Z', '+00:00'))).toBe(times[0]!.toISOString());
  });
});
