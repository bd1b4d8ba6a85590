import { NonRetriableError } from '@mash/kafka';
import type { ErrorCode } from '@mash/schema';
import type { DataIssue } from './family';

/** Where a rejected event broke the contract and which rule: what connector health shows (never a value). */
export type FieldIssue = Pick<DataIssue, 'field' | 'rule'>;

/** The dead-letter reasons a connector gives (the EVENT_* codes of the registry). */
export type RejectionCode = Extract<ErrorCode, `EVENT_${string}`>;

/**
 * An event that can never be ingested: it goes to the family's dead-letter topic with its code and reason.
 * Carries the fields and rules that broke, and the event's source and type when the envelope was readable, for
 * connector health.
 */
export class EventRejectedError extends NonRetriableError {
  constructor(
    override readonly code: RejectionCode,
    reason: string,
    readonly issues: readonly FieldIssue[],
    readonly source: string | null = null,
    readonly type: string | null = null,
  ) {
    super(code, reason);
    this.name = 'EventRejectedError';
  }
}

/** The agency directory did not answer; the message is retried, never rejected. */
export class DirectoryUnavailableError extends Error {
  readonly retriable = true;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DirectoryUnavailableError';
  }
}
