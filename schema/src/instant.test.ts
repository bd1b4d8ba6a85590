import { utcInstantText } from './instant';

const viaDate = (text: string): string => new Date(text).toISOString();

describe('utcInstantText', () => {
  it('writes UTC instants with and without milliseconds exactly as Date does', () => {
    const texts: string[] = [];
    // Instants from 1938 to 2065, every month and leap day among them, with and without their milliseconds.
    for (let i = 0; i < 20_000; i++) {
      const at = new Date(-1e12 + i * 2.0000173e8 + (i % 1000)).toISOString();
      texts.push(at, `${at.slice(0, 19)}Z`);
    }
    texts.push(
      '2024-02-29T10:00:00Z',
      '2000-02-29T23:59:59.999Z',
      '0000-01-01T00:00:00Z',
      '9999-12-31T23:59:59Z',
    );
    const differ = texts.filter((t) => utcInstantText(t) !== viaDate(t));
    expect(differ).toEqual([]);
  });

  it('leaves to Date every text it does not read as a real UTC instant', () => {
    for (const text of [
      '2026-02-30T10:00:00Z', // a day February does not have, which Date.parse rolls into March
      '2023-02-29T10:00:00Z',
      '1900-02-29T10:00:00Z',
      '2026-04-31T10:00:00Z',
      '2026-13-01T10:00:00Z',
      '2026-00-10T10:00:00Z',
      '2026-01-00T10:00:00Z',
      '2026-01-01T24:00:00Z',
      '2026-01-01T23:60:00Z',
      '2026-01-01T23:59:60Z',
      '2026-01-01T10:00:00+01:00',
      '2026-01-01T10:00:00.1Z',
      '2026-01-01T10:00:00.123456Z',
      '2026-01-01t10:00:00z',
      '2026-01-01 10:00:00Z',
      '2026-1a-01T10:00:00Z',
      '2026-01-01T10:00:00,123Z',
      'not a time at all!!Z',
      '',
    ]) {
      expect([text, utcInstantText(text)]).toEqual([text, undefined]);
    }
  });
});
