/**
 * JSON.parse's complaint without the excerpt of the input that V8 quotes, so that it can go into logs, dead-letter
 * headers and reasons shown to agency integrators: the input may hold personal data. What is left names the
 * problem and its position (`Unexpected end of JSON input`, `Unterminated string in JSON at position 14`).
 */
export function describeJsonParseError(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  // V8 quotes the input from the first double quote on (`Unexpected token 'J', "{"id": J"... is not valid JSON`).
  const quote = message.indexOf('"');
  const problem = (quote < 0 ? message : message.slice(0, quote)).replace(/[\s,.]+$/, '');
  return problem || 'invalid JSON';
}
