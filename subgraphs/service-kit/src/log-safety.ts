/**
 * The error serializer every logger uses. Errors drag personal data into logs: TypeORM's QueryFailedError carries
 * the query's parameters, Postgres puts row values in `detail` ("Failing row contains (...)", "Key (value)=(...)")
 * and quotes the offending input in its message, and a gateway error can carry a subgraph's whole response. This
 * keeps what an operator needs (type, code, SQLSTATE, table, constraint, where in the code) and nothing else.
 */

export interface SafeError {
  type: string;
  message: string;
  code?: string;
  retriable?: boolean;
  sqlState?: string;
  schema?: string;
  table?: string;
  column?: string;
  constraint?: string;
  stack?: string;
  cause?: SafeError;
}

const SQLSTATE = /^[0-9A-Z]{5}$/;

/** Postgres quotes values it refuses ("invalid input syntax for type uuid: "x""): keep the words, not the value. */
export function withoutQuotedValues(message: string): string {
  return message
    .replace(/"[^"]*"/g, '"…"')
    .replace(/'[^']*'/g, "'…'")
    .replace(/\([^()]*\)=\([^()]*\)/g, '(…)=(…)');
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** Stack frames only: the first line repeats the message, which may hold a value. */
export function stackFrames(stack: unknown): string | undefined {
  if (typeof stack !== 'string') return undefined;
  const frames = stack.split('\n').filter((l) => /^\s+at /.test(l));
  return frames.length > 0 ? frames.slice(0, 12).join('\n') : undefined;
}

export function safeError(err: unknown, depth = 0): SafeError | undefined {
  if (err === undefined || err === null) return undefined;
  // kafkajs logs broker error strings ("The group coordinator is not available") under `error`.
  if (typeof err === 'string') return { type: 'string', message: err };
  if (typeof err !== 'object') return { type: typeof err, message: '[non-error value]' };
  const e = err as Record<string, unknown> & { constructor?: { name?: string } };
  const driver = (e['driverError'] as Record<string, unknown> | undefined) ?? e;
  const rawCode = str(driver['code']) ?? str(e['code']);
  const isDatabase =
    rawCode !== undefined && SQLSTATE.test(rawCode) && ('severity' in driver || 'routine' in driver);
  const extensions = e['extensions'] as Record<string, unknown> | undefined;
  const message = str(e['message']) ?? '';
  const out: SafeError = {
    type: str(e['name']) ?? e.constructor?.name ?? 'Error',
    message: isDatabase ? withoutQuotedValues(message) : message,
  };
  const code = str(extensions?.['code']) ?? (isDatabase ? undefined : rawCode);
  if (code) out.code = code;
  const retriable = e['retriable'] ?? extensions?.['retriable'];
  if (typeof retriable === 'boolean') out.retriable = retriable;
  if (isDatabase) {
    out.sqlState = rawCode;
    for (const k of ['schema', 'table', 'column', 'constraint'] as const) {
      const v = str(driver[k]);
      if (v) out[k] = v;
    }
  }
  const stack = stackFrames(e['stack']);
  if (stack) out.stack = stack;
  if (depth < 3) {
    const cause = safeError(e['cause'] ?? e['originalError'], depth + 1);
    if (cause) out.cause = cause;
  }
  return out;
}
