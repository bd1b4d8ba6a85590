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

/**
 * Tells a subgraph that `joinerRequestIds` read the answer it gave `leaderRequestId`, with the caller's own token
 * (all of them are that caller's requests: the sharing key includes the token). Resolves with how many entries it
 * wrote; throws `SharedReadsNotRecorded` for anything but a 200.
 */
export async function recordSharedReads(options: {
  readonly serviceName: string;
  readonly url: string;
  readonly token: string;
  readonly leaderRequestId: string;
  readonly joinerRequestIds: readonly string[];
  readonly dispatcher: Dispatcher;
  readonly timeoutMs: number;
}): Promise<number> {
  let status: number | undefined;
  let text: string;
  try {
    const res = await request(options.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${options.token}` },
      body: JSON.stringify({
        leaderRequestId: options.leaderRequestId,
        joinerRequestIds: options.joinerRequestIds,
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
  let body: { copied?: unknown; errors?: { extensions?: { code?: string } }[] } = {};
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    // Not JSON: reported by status below.
  }
  if (status !== 200 || typeof body.copied !== 'number') {
    throw new SharedReadsNotRecorded(options.serviceName, status, body.errors?.[0]?.extensions?.code);
  }
  return body.copied;
}
