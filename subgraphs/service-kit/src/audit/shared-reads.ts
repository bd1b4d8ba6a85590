import type http from 'node:http';
import type { DataSource } from 'typeorm';
import { z } from 'zod';
import { accessScopeOf, ErrorCodes, type ErrorCode, type Identity } from '@mash/schema';
import type { JwtVerifier } from '../auth';
import { MashGraphQLError, TokenExpiredError, UnauthenticatedError } from '../errors';
import { readRequestBody, RequestRejection } from '../http-body';
import type { Logger } from '../logger';
import { AUDIT_TABLE } from './writer';

/**
 * Where a subgraph takes the readers of a shared call: the gateway sent one call for several identical requests
 * of one caller (same token, query and variables) and tells the subgraph which requests read its answer besides
 * the one that called; or it sent a live subscription's resolution once for several people of the caller's access
 * scope (same partnership, agency and roles) and tells the subgraph who else was sent the answer, each with their
 * own token.
 */
export const SHARED_READS_PATH = '/audit/shared-reads';

/** The most requests one shared call records (a gateway shares among its concurrent requests, far fewer). */
export const MAX_SHARED_READERS = 1000;

const requestId = z.string().min(1).max(200);

/** The most people of the caller's scope one call records (the gateway sends at most 100 at a time). */
export const MAX_SCOPE_READERS = 200;

/** The body of `POST /audit/shared-reads`: the caller's own other requests, or other people of its scope. */
export const sharedReadsRequestSchema = z.union([
  z.strictObject({
    /** The request the subgraph served; its entries (this subgraph's, this caller's) are the ones copied. */
    leaderRequestId: requestId,
    /** The caller's requests that read the same answer, each to get the same entries under its own id. */
    joinerRequestIds: z.array(requestId).min(1).max(MAX_SHARED_READERS),
  }),
  z
    .strictObject({
      leaderRequestId: requestId,
      /**
       * Other people sent the same answer, each with a request id of their own and their own bearer token: each gets
       * the same entries under their own name, if their token is valid and their access scope is the caller's.
       */
      readers: z
        .array(
          z.strictObject({
            requestId,
            token: z
              .string()
              .min(1)
              .max(16 * 1024),
          }),
        )
        .min(1)
        .max(MAX_SCOPE_READERS),
    })
    // Each reader's rows are found by their own request id: none may repeat another's, or the leader's.
    .refine(
      (r) => new Set([r.leaderRequestId, ...r.readers.map((x) => x.requestId)]).size === r.readers.length + 1,
      { message: 'each reader needs a request id of their own', path: ['readers'] },
    ),
]);
export type SharedReadsRequest = z.infer<typeof sharedReadsRequestSchema>;

/** One reader whose entries are written: a request id and the actor it is recorded for. */
export interface SharedReader {
  readonly requestId: string;
  readonly actor: string;
}

export type SharedReadsResult =
  | { readonly refused: false; readonly copied: number }
  /** The leader's entries name another actor: nothing was copied. */
  | { readonly refused: true };

/**
 * Records each reader's read as if it had called: the leader's entries of this service and actor, copied once per
 * reader under the reader's request id and actor (the caller's own other requests, or people of its access scope),
 * in ONE statement. The same statement refuses (and copies nothing) when any of the leader's entries in this service
 * names another actor: a caller can only say that its own reads were shared.
 */
export async function recordSharedReads(
  dataSource: DataSource,
  service: string,
  actor: string,
  leaderRequestId: string,
  readers: readonly SharedReader[],
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
       SELECT now(), e."service", j."request_id", j."actor", e."actor_agency_id", e."actor_partnership_id",
         e."actor_roles", e."action", e."record_type", e."record_id", e."fields", e."data_subject_id", e."ground",
         e."outcome"
       FROM "leader" e CROSS JOIN unnest($4::text[], $5::text[]) AS j("request_id", "actor")
       WHERE e."actor" = $3 AND NOT EXISTS (SELECT 1 FROM "foreign_actor")
       ORDER BY j."request_id", e."id"
       RETURNING 1
     )
     SELECT (SELECT count(*)::int FROM "copied") AS "copied",
       EXISTS (SELECT 1 FROM "foreign_actor") AS "refused"`,
    [leaderRequestId, service, actor, readers.map((r) => r.requestId), readers.map((r) => r.actor)],
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
 * answers `{ "copied": n }`, with `"refusedReaders": [requestId…]` for `readers` (those whose token failed or whose
 * access scope is not the caller's: nothing was recorded for them), or a coded error (UNAUTHENTICATED, TOKEN_EXPIRED,
 * BAD_USER_INPUT, FORBIDDEN when the leader's entries are another actor's, INTERNAL when the trail cannot be
 * written) and copies nothing.
 */
export function sharedReadsRoute(options: SharedReadsRouteOptions) {
  const { service, verifier, dataSource, logger, enabled } = options;
  return async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    if (req.method !== 'POST') {
      req.resume();
      res.setHeader('allow', 'POST');
      return refuse(res, 'METHOD_NOT_ALLOWED');
    }
    let caller: Identity;
    try {
      caller = await verifier.verifyHeader(req.headers.authorization);
    } catch (err) {
      req.resume();
      if (err instanceof MashGraphQLError) {
        const code = err.extensions['code'] as ErrorCode;
        return refuse(res, code, err.message);
      }
      throw err;
    }
    const actor = caller.subject;
    let body: unknown;
    try {
      body = await readRequestBody(req, 4 * 1024 * 1024);
    } catch (err) {
      if (err instanceof RequestRejection) return refuse(res, err.code);
      throw err;
    }
    const parsed = sharedReadsRequestSchema.safeParse(body);
    if (!parsed.success) {
      return refuse(
        res,
        'BAD_USER_INPUT',
        'Expected { leaderRequestId, joinerRequestIds: [...] } or { leaderRequestId, readers: [{ requestId, token }] } ' +
          '(each reader with a request id of their own).',
      );
    }
    const request = parsed.data;
    // Each reader is recorded under their own name only if their own token proves it, and only in the caller's
    // scope: the entries copied are the caller's decisions, which hold for that scope alone.
    const readers: SharedReader[] = [];
    const refusedReaders: string[] = [];
    if ('readers' in request) {
      // All at once: a verification waits on the crypto thread pool, and one at a time each waited a turn of a
      // busy event loop (100 readers took 400 ms).
      // A token that is bad or has run out refuses its reader; a check that could not be made (the identity provider
      // did not answer) records nobody, so the gateway can tell it from a refusal.
      let identities: (Identity | undefined)[];
      try {
        identities = await Promise.all(
          request.readers.map((r) =>
            verifier.verify(r.token).catch((err: unknown) => {
              if (err instanceof UnauthenticatedError || err instanceof TokenExpiredError) return undefined;
              throw err;
            }),
          ),
        );
      } catch (err) {
        if (err instanceof MashGraphQLError) {
          return refuse(res, err.extensions['code'] as ErrorCode, err.message);
        }
        logger.error({ err }, 'readers of a shared read could not be checked');
        return refuse(res, 'INTERNAL');
      }
      request.readers.forEach((r, i) => {
        const identity = identities[i];
        if (identity && accessScopeOf(identity) === accessScopeOf(caller)) {
          readers.push({ requestId: r.requestId, actor: identity.subject });
        } else refusedReaders.push(r.requestId);
      });
    } else for (const id of request.joinerRequestIds) readers.push({ requestId: id, actor });
    const answer = (copied: number) =>
      send(res, 200, { copied, ...('readers' in request && { refusedReaders }) });
    if (!enabled) return answer(0);
    let result: SharedReadsResult;
    try {
      result =
        readers.length === 0
          ? { refused: false, copied: 0 }
          : await recordSharedReads(dataSource, service, actor, request.leaderRequestId, readers);
    } catch (err) {
      logger.error({ err, readers: readers.length }, 'shared reads could not be recorded');
      return refuse(res, 'INTERNAL');
    }
    if (result.refused) {
      logger.warn(
        { actor, leaderRequestId: parsed.data.leaderRequestId },
        'shared reads refused: the leading request is not this caller’s',
      );
      return refuse(res, 'FORBIDDEN', 'The leading request’s reads are not this caller’s.');
    }
    return answer(result.copied);
  };
}
