import { pino, type DestinationStream, type Logger } from 'pino';
import { safeError, stackFrames } from './log-safety';

export type { Logger };

/**
 * Paths whose values are personal data or secrets wherever they appear in a log record. Known shapes only: the
 * error serializer (`safeError`) covers what errors drag in (SQL parameters, Postgres row details, subgraph
 * bodies).
 */
export const REDACTED_PATHS: readonly string[] = [
  'authorization',
  'token',
  'variables',
  'subject',
  'identifier',
  'identifiers',
  'displayName',
  'facts',
  'data',
  'payload',
  'value',
  '*.authorization',
  '*.token',
  '*.variables',
  '*.subject',
  '*.identifier',
  '*.identifiers',
  '*.displayName',
  '*.facts',
  '*.data',
  '*.payload',
  'req.headers.authorization',
  'headers.authorization',
  'message.value',
  'record.value',
];

export interface LoggerOptions {
  /** A pino level (default `info`). The logger reads no environment: deployables pass their configured level. */
  readonly level?: string;
  /** Where records go (default stdout); tests pass a stream to read what was logged. */
  readonly destination?: DestinationStream;
}

/**
 * The process's root logger: structured JSON, one child per component (`logger.child({ component })`), with
 * personal data redacted and errors serialized without query parameters, row details or subgraph bodies. The level
 * is given (`createLogger(name, 'warn')` or `{ level, destination }`), never read from the environment.
 */
export function createLogger(service: string, options: LoggerOptions | string = {}): Logger {
  const opts: LoggerOptions = typeof options === 'string' ? { level: options } : options;
  const config = {
    name: service,
    level: opts.level ?? 'info',
    base: { service },
    redact: { paths: [...REDACTED_PATHS], censor: '[redacted]' },
    // `stack` is what kafkajs logs beside the error: frames only, since its first line repeats the message.
    serializers: { err: safeError, error: safeError, stack: stackFrames },
  };
  return opts.destination ? pino(config, opts.destination) : pino(config);
}

/** A logger that writes nothing, for tests that do not read logs. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
