import type http from 'node:http';
import type { DataSource } from 'typeorm';
import { z } from 'zod';
import { ErrorCodes, type ErrorCode } from '@mash/schema';
import type { JwtVerifier } from '../auth';
import { MashGraphQLError } from '../errors';
import { readRequestBody, RequestRejection } from '../http-body';
import type { Logger } from '../logger';
import { AUDIT_TABLE } from './writer';

/**
 * Where a subgraph takes the readers of a shared call: the gateway sent one call for several identical requests
 * of one caller (same token, query and variables) and tells the subgraph which requests read its answer besides
 * the one that called.
 */
export const SHARED_READS_PATH = '/audit/shared-reads';

/** The most requests one shared call records (a gateway shares among its concurrent requests, far fewer). */
export const MAX_SHARED_READERS = 1000;

const requestId = z.string().min(1).max(200);

/** The body of `POST /audit/shared-reads`. */
export const sharedReadsRequestSchema = z.strictObject({
  /** The request the subgraph served; its entries (this subgraph's, this caller's) are the ones copied. */
  leaderRequestId: requestId,
  /** The requests that read the same answer, each to get the same entries under its own id. */
  joinerRequestIds: z.array(requestId).min(1).max(MAX_SHARED_READERS),
});
export type SharedReadsRequest = z.infer<typeof sharedReadsRequestSchema>;

export type SharedReadsResult =
  | { readonly refused: false; readonly copied: number }
  /** The leader's entries name another actor: nothing was copied. */
  | { readonly refused: true };

/**
 * Records each joiner's read as if it had called: the leader's entries of this service and actor, copied once per
 * joiner under the joiner's request id, in ONE statement. The same statement refuses (and copies nothing) when
 * any of the leader's entries in this service names another actor: a caller can only say that its own reads were
 * shared.
 */
export async function recordSharedReads(
  dataSource: DataSource,
  service: string,
  actor: string,
  request: SharedReadsRequest,
): Promise<SharedReadsResult> {
  const [row] = (await dataSource.query(
    `WITH "leader" AS (
       SELECT * FROM ${AUDIT_TABLE} WHERE "request_id" = $1 AND "service" = $2
     ), "foreign_actor" AS (
       SELECT 1 FROM "leader" WHERE "actor" <> $3 LIMIT 1
     ), "copied" AS (
       INSERT INTO ${AUDIT_TABLE} ("at", "service", "request_id", "actor", "actor_agency_id",
         "actor_partnership_id", "actor_roles", "action", "record_type", "record_id", "fields", "data_subject_id",
         "ground", "outcome")
       SELECT now(), e."service", j."request_id", e."actor", e."actor_agency_id", e."actor_partnership_id",
         e."actor_roles", e."action", e."record_type", e."record_id", e."fields", e."data_subject_id", e."ground",
         e."outcome"
       FROM "leader" e CROSS JOIN unnest($4::text[]) AS j("request_id")
       WHERE e."actor" = $3 AND NOT EXISTS (SELECT 1 FROM "foreign_actor")
       ORDER BY j."request_id", e."id"
       RETURNING 1
     )
     SELECT (SELECT count(*)::int FROM "copied") AS "copied",
       EXISTS (SELECT 1 FROM "foreign_actor") AS "refused"`,
    [request.leaderRequestId, service, actor, request.joinerRequestIds],
  )) as { copied: number; refused: boolean }[];
  if (!row || row.refused) return { refused: true };
  return { refused: false, copied: row.copied };
}

export interface SharedReadsRouteOptions {
  readonly service: string;
  readonly verifier: JwtVerifier;
  readonly dataSource: DataSource;
  readonly logger: Logger;
  /** With auditing off (benchmarks only) nothing is written, as for the subgraph's own reads. */
  readonly enabled: boolean;
}

function send(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  });
  res.end(text);
}

function refuse(res: http.ServerResponse, code: ErrorCode, message: string = ErrorCodes[code].description) {
  send(res, ErrorCodes[code].httpStatus, {
    errors: [{ message, extensions: { code, retriable: ErrorCodes[code].retriable } }],
  });
}

/**
 * `POST /audit/shared-reads`, authenticated by the caller's own bearer token (verified here like any request):
 * answers `{ "copied": n }`, or a coded error (UNAUTHENTICATED, TOKEN_EXPIRED, BAD_USER_INPUT, FORBIDDEN when the
 * leader's entries are another actor's, INTERNAL when the trail cannot be written) and copies nothing.
 */
export function sharedReadsRoute(options: SharedReadsRouteOptions) {
  const { service, verifier, dataSource, logger, enabled } = options;
  return async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    if (req.method !== 'POST') {
      req.resume();
      res.setHeader('allow', 'POST');
      return refuse(res, 'METHOD_NOT_ALLOWED');
    }
    let actor: string;
    try {
      actor = (await verifier.verifyHeader(req.headers.authorization)).subject;
    } catch (err) {
      req.resume();
      if (err instanceof MashGraphQLError) {
        const code = err.extensions['code'] as ErrorCode;
        return refuse(res, code, err.message);
      }
      throw err;
    }
    let body: unknown;
    try {
      body = await readRequestBody(req, 64 * 1024);
    } catch (err) {
      if (err instanceof RequestRejection) return refuse(res, err.code);
      throw err;
    }
    const parsed = sharedReadsRequestSchema.safeParse(body);
    if (!parsed.success) {
      return refuse(res, 'BAD_USER_INPUT', 'Expected { leaderRequestId, joinerRequestIds: [...] }.');
    }
    if (!enabled) return send(res, 200, { copied: 0 });
    let result: SharedReadsResult;
    try {
      result = await recordSharedReads(dataSource, service, actor, parsed.data);
    } catch (err) {
      logger.error(
        { err, joiners: parsed.data.joinerRequestIds.length },
        'shared reads could not be recorded',
      );
      return refuse(res, 'INTERNAL');
    }
    if (result.refused) {
      logger.warn(
        { actor, leaderRequestId: parsed.data.leaderRequestId },
        'shared reads refused: the leading request is not this caller’s',
      );
      return refuse(res, 'FORBIDDEN', 'The leading request’s reads are not this caller’s.');
    }
    return send(res, 200, { copied: result.copied });
  };
}
