/**
 * The one registry of error codes. Every GraphQL error carries one of these as `extensions.code`, every
 * connector rejection names one in its dead-letter record, and docs are generated from this table.
 */
export interface ErrorCodeDefinition {
  readonly code: string;
  readonly description: string;
  /** HTTP status the gateway answers with when this is the only error. */
  readonly httpStatus: number;
  /** True where trying the same thing again later may succeed. */
  readonly retriable: boolean;
}

function define<const C extends string>(
  code: C,
  description: string,
  httpStatus: number,
  retriable: boolean,
): ErrorCodeDefinition & { code: C } {
  return { code, description, httpStatus, retriable };
}

export const ErrorCodes = {
  UNAUTHENTICATED: define(
    'UNAUTHENTICATED',
    'No bearer token, or the token failed verification.',
    401,
    false,
  ),
  TOKEN_EXPIRED: define('TOKEN_EXPIRED', 'The bearer token has expired; obtain a new one.', 401, false),
  FORBIDDEN: define('FORBIDDEN', 'The identity has no need-to-know for this record.', 403, false),
  NOT_FOUND: define('NOT_FOUND', 'No record with that identifier is visible to this identity.', 404, false),
  BAD_USER_INPUT: define('BAD_USER_INPUT', 'An argument failed validation.', 400, false),
  GRAPHQL_PARSE_FAILED: define(
    'GRAPHQL_PARSE_FAILED',
    'The GraphQL document could not be parsed.',
    400,
    false,
  ),
  GRAPHQL_VALIDATION_FAILED: define(
    'GRAPHQL_VALIDATION_FAILED',
    'The document is not valid against the schema.',
    400,
    false,
  ),
  INVALID_TRANSITION: define(
    'INVALID_TRANSITION',
    'The escalation cannot make that move from its current state.',
    409,
    false,
  ),
  SUBGRAPH_UNAVAILABLE: define(
    'SUBGRAPH_UNAVAILABLE',
    'A service behind the gateway did not answer.',
    503,
    true,
  ),
  INTERNAL: define('INTERNAL', 'An unexpected fault; it has been logged.', 500, true),
  // Connector rejections (dead-letter reasons).
  EVENT_NOT_JSON: define('EVENT_NOT_JSON', 'The message value is not a JSON document.', 400, false),
  EVENT_ENVELOPE_INVALID: define(
    'EVENT_ENVELOPE_INVALID',
    'The message is not a valid CloudEvents 1.0 structured event.',
    400,
    false,
  ),
  EVENT_TYPE_UNKNOWN: define(
    'EVENT_TYPE_UNKNOWN',
    'No published JSON Schema exists for this event type.',
    400,
    false,
  ),
  EVENT_DATA_INVALID: define(
    'EVENT_DATA_INVALID',
    "The event's data does not match its type's JSON Schema.",
    400,
    false,
  ),
  EVENT_SOURCE_UNKNOWN: define(
    'EVENT_SOURCE_UNKNOWN',
    'The event source is not a registered agency source system.',
    400,
    false,
  ),
  EVENT_SOURCE_MISMATCH: define(
    'EVENT_SOURCE_MISMATCH',
    "The event type does not belong to the source system's agency family.",
    400,
    false,
  ),
} as const;

export type ErrorCode = keyof typeof ErrorCodes;

export function errorDefinition(code: ErrorCode): ErrorCodeDefinition {
  return ErrorCodes[code];
}
