import { describeJsonParseError } from './json-error';

const parseError = (text: string): unknown => {
  try {
    JSON.parse(text);
  } catch (err) {
    return err;
  }
  throw new Error(`${text} parsed`);
};

describe('describeJsonParseError', () => {
  it('leaves out the excerpt of the input that JSON.parse quotes', () => {
    const reason = describeJsonParseError(parseError('{"name": Jane Smith, "nhsNumber": 9434765919}'));
    expect(reason).toMatch(/^Unexpected token/);
    expect(reason).not.toContain('Smith');
    expect(reason).not.toContain('9434765919');
    expect(reason).not.toContain('"');
  });

  it('keeps a complaint that quotes nothing, with its position', () => {
    expect(describeJsonParseError(parseError('{"name": "Jane'))).toMatch(
      /^Unterminated string in JSON at position/,
    );
    expect(describeJsonParseError(parseError(''))).toBe('Unexpected end of JSON input');
  });

  it('says "invalid JSON" when nothing but the quoted input is left', () => {
    expect(describeJsonParseError(new SyntaxError('"Jane Smith" is not valid JSON'))).toBe('invalid JSON');
  });
});
