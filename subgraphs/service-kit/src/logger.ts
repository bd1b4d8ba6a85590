import { pino, type Logger } from 'pino';

export type { Logger };

/** The process's root logger: structured JSON, one child per component (`logger.child({ component })`). */
export function createLogger(service: string, level = process.env['LOG_LEVEL'] ?? 'info'): Logger {
  return pino({ name: service, level, base: { service } });
}

/** A logger that writes nothing, for tests that do not read logs. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
