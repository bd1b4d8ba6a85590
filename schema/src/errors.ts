/**
 * The one registry of error codes. Every GraphQL error carries one of these as `extensions.code`, every
 * connector rejection names one in its dead-letter record, and docs/ERRORS.md is generated from this table.
 */

/**
 * Where a code is met: `graphql` on a field or operation in a GraphQL response, `http` for a request the server
 * could not take as GraphQL at all (answered before execution, still as a coded GraphQL error body), `connector`
 * in a dead-letter record's headers, `held` as the reason a status change is held for a MASH officer to link
 * (`UnmatchedStatusChange.reasonCode`).
 */
export type ErrorSurface = 'graphql' | 'http' | 'connector' | 'held';

export interface ErrorCodeDefinition {
  readonly code: string;
  readonly description: string;
  /** HTTP status the gateway answers with when this is the only error. */
  readonly httpStatus: number;
  /** True where trying the same thing again later may succeed. */
  readonly retriable: boolean;
  readonly surface: ErrorSurface;
}

function define<const C extends string>(
  code: C,
  description: string,
  httpStatus: number,
  retriable: boolean,
  surface: ErrorSurface = 'graphql',
): ErrorCodeDefinition & { code: C } {
  return { code, description, httpStatus, retriable, surface };
}

export const ErrorCodes = {
  UNAUTHENTICATED: define(
    'UNAUTHENTICATED',
    'No bearer token, or the token failed verification.',
    401,
    false,
  ),
  TOKEN_EXPIRED: define('TOKEN_EXPIRED', 'The bearer token has expired; obtain a new one.', 401, false),
  IDENTITY_PROVIDER_UNAVAILABLE: define(
    'IDENTITY_PROVIDER_UNAVAILABLE',
    "The identity provider's signing keys (JWKS) could not be fetched, so the token could not be checked; try again.",
    503,
    true,
  ),
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
  OPERATION_RESOLUTION_FAILURE: define(
    'OPERATION_RESOLUTION_FAILURE',
    'The document has no operation by that operationName, or several operations and no operationName.',
    400,
    false,
  ),
  PERSISTED_QUERY_NOT_FOUND: define(
    'PERSISTED_QUERY_NOT_FOUND',
    'The server does not hold a query with that hash; send the full query once with its hash.',
    200,
    true,
  ),
  PERSISTED_QUERY_NOT_SUPPORTED: define(
    'PERSISTED_QUERY_NOT_SUPPORTED',
    'Automatic persisted queries are switched off here; send the full query.',
    200,
    false,
  ),
  QUERY_TOO_DEEP: define(
    'QUERY_TOO_DEEP',
    'The document nests fields deeper than the gateway allows.',
    400,
    false,
  ),
  QUERY_TOO_COSTLY: define(
    'QUERY_TOO_COSTLY',
    'The document would cost more to answer than the gateway allows; ask for fewer fields or less depth.',
    400,
    false,
  ),
  TOO_MANY_ALIASES: define(
    'TOO_MANY_ALIASES',
    'The document uses more aliases than the gateway allows.',
    400,
    false,
  ),
  TOO_MANY_DIRECTIVES: define(
    'TOO_MANY_DIRECTIVES',
    'The document uses more directives than the gateway allows.',
    400,
    false,
  ),
  DOCUMENT_TOO_LARGE: define(
    'DOCUMENT_TOO_LARGE',
    'The document has more tokens than the gateway parses.',
    400,
    false,
  ),
  INTROSPECTION_DISABLED: define(
    'INTROSPECTION_DISABLED',
    'Schema introspection is switched off here; the schema is published in the repository.',
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
  // Requests that are not GraphQL over HTTP at all (answered before any GraphQL runs).
  BAD_REQUEST: define(
    'BAD_REQUEST',
    'The request is not a GraphQL-over-HTTP request: no query, or a parameter of the wrong type.',
    400,
    false,
    'http',
  ),
  MALFORMED_JSON: define('MALFORMED_JSON', 'The request body is not valid JSON.', 400, false, 'http'),
  UNSUPPORTED_MEDIA_TYPE: define(
    'UNSUPPORTED_MEDIA_TYPE',
    'A POST body must be sent as application/json.',
    415,
    false,
    'http',
  ),
  PAYLOAD_TOO_LARGE: define(
    'PAYLOAD_TOO_LARGE',
    'The request body is larger than this server accepts.',
    413,
    false,
    'http',
  ),
  BATCHING_NOT_SUPPORTED: define(
    'BATCHING_NOT_SUPPORTED',
    'A JSON array of operations is not accepted; send one operation per request.',
    400,
    false,
    'http',
  ),
  METHOD_NOT_ALLOWED: define(
    'METHOD_NOT_ALLOWED',
    'GraphQL is served over GET (queries only) and POST.',
    405,
    false,
    'http',
  ),
  // Connector rejections (dead-letter reasons).
  EVENT_NOT_JSON: define(
    'EVENT_NOT_JSON',
    "The message value is not a JSON document (an agency event, or an internal message on a platform topic: it goes to that stage's dead-letter topic).",
    400,
    false,
    'connector',
  ),
  EVENT_ENVELOPE_INVALID: define(
    'EVENT_ENVELOPE_INVALID',
    'The message is not a valid CloudEvents 1.0 structured event.',
    400,
    false,
    'connector',
  ),
  EVENT_TYPE_UNKNOWN: define(
    'EVENT_TYPE_UNKNOWN',
    'No published JSON Schema exists for this event type.',
    400,
    false,
    'connector',
  ),
  EVENT_DATA_INVALID: define(
    'EVENT_DATA_INVALID',
    "The event's data does not match its type's JSON Schema, or an internal message does not match its schema (the reason names the failing path).",
    400,
    false,
    'connector',
  ),
  EVENT_SOURCE_UNKNOWN: define(
    'EVENT_SOURCE_UNKNOWN',
    'The event source is not a registered agency source system.',
    400,
    false,
    'connector',
  ),
  EVENT_SOURCE_MISMATCH: define(
    'EVENT_SOURCE_MISMATCH',
    "The event names another source system than the one whose topic it arrived on (a system publishes in its own name only), or its type or topic does not belong to the source system's agency family.",
    400,
    false,
    'connector',
  ),
  EVENT_DATA_REFUSED: define(
    'EVENT_DATA_REFUSED',
    'The database refused a value of the record (a PostgreSQL data or integrity error on that record alone, e.g. a date that does not exist).',
    400,
    false,
    'connector',
  ),
  // Why a status change is held for a MASH officer (UnmatchedStatusChange.reasonCode); linkStatusChange releases it.
  SUBJECT_UNKNOWN: define(
    'SUBJECT_UNKNOWN',
    "None of the status change's identifiers belongs to a subject yet: link it to a subject, or register the subject with the identifier.",
    404,
    false,
    'held',
  ),
  IDENTIFIER_CONFLICT: define(
    'IDENTIFIER_CONFLICT',
    "The status change's identifiers belong to two or more different subjects, so it was applied to none and nothing was merged: link it to the right subject.",
    409,
    false,
    'held',
  ),
} as const;

export type ErrorCode = keyof typeof ErrorCodes;

export function errorDefinition(code: ErrorCode): ErrorCodeDefinition {
  return ErrorCodes[code];
}

export function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && Object.prototype.hasOwnProperty.call(ErrorCodes, code);
}

/** The codes met on a given surface, in registry order (tests and docs iterate these). */
export function errorCodesOn(surface: ErrorSurface): ErrorCode[] {
  return (Object.keys(ErrorCodes) as ErrorCode[]).filter((c) => ErrorCodes[c].surface === surface);
}
