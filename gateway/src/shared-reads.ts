import { request, type Dispatcher } from 'undici';
import { SHARED_READS_PATH } from '@mash/service-kit';

/** Where a subgraph served at `graphqlUrl` takes the readers of a shared call. */
export function sharedReadsUrl(graphqlUrl: string): string {
  return new URL(SHARED_READS_PATH, graphqlUrl).toString();
}

/** The subgraph refused or failed to record the joiners' reads: they get no data. */
export class SharedReadsNotRecorded extends Error {
  constructor(
    readonly serviceName: string,
    readonly status: number | undefined,
    readonly code: string | undefined,
  ) {
    super(`${serviceName} did not record the shared reads (${code ?? status ?? 'no answer'})`);
    this.name = 'SharedReadsNotRecorded';
  }
}

/** Another person of the caller's access scope who was sent the same answer: a request id and their own token. */
export interface ScopeReader {
  readonly requestId: string;
  readonly token: string;
}

/**
 * Tells a subgraph that `joinerRequestIds` (the caller's own other requests) or `readers` (other people of the
 * caller's access scope, each with their own token) read the answer it gave `leaderRequestId`, with the caller's own
 * token. Resolves with how many entries it wrote and the readers it refused (a token that failed, or another
 * scope: nothing recorded for them); throws `SharedReadsNotRecorded` for anything but a 200.
 */
export async function recordSharedReads(options: {
  readonly serviceName: string;
  readonly url: string;
  readonly token: string;
  readonly leaderRequestId: string;
  readonly joinerRequestIds?: readonly string[];
  readonly readers?: readonly ScopeReader[];
  readonly dispatcher: Dispatcher;
  readonly timeoutMs: number;
}): Promise<{ copied: number; refusedReaders: readonly string[] }> {
  let status: number | undefined;
  let text: string;
  try {
    const res = await request(options.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${options.token}` },
      body: JSON.stringify({
        leaderRequestId: options.leaderRequestId,
        ...(options.readers
          ? { readers: options.readers }
          : { joinerRequestIds: options.joinerRequestIds ?? [] }),
      }),
      dispatcher: options.dispatcher,
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
    });
    status = res.statusCode;
    text = await res.body.text();
  } catch {
    throw new SharedReadsNotRecorded(options.serviceName, undefined, undefined);
  }
  let body: {
    copied?: unknown;
    refusedReaders?: unknown;
    errors?: { extensions?: { code?: string } }[];
  } = {};
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    // Not JSON: reported by status below.
  }
  if (status !== 200 || typeof body.copied !== 'number') {
    throw new SharedReadsNotRecorded(options.serviceName, status, body.errors?.[0]?.extensions?.code);
  }
  if (!options.readers) return { copied: body.copied, refusedReaders: [] };
  // An answer that does not say whom it refused recorded nobody we can rely on.
  if (!Array.isArray(body.refusedReaders) || !body.refusedReaders.every((r) => typeof r === 'string')) {
    throw new SharedReadsNotRecorded(options.serviceName, status, undefined);
  }
  return { copied: body.copied, refusedReaders: body.refusedReaders as string[] };
}
