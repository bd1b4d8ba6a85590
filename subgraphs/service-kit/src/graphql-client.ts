/** A minimal GraphQL-over-HTTP client for service-to-service reads. Errors say whether they are retriable. */
export class ServiceCallError extends Error {
  constructor(
    message: string,
    readonly retriable: boolean,
    /** The code the other service answered with, when it answered one. */
    readonly code?: string,
  ) {
    super(message);
    this.name = 'ServiceCallError';
  }
}

export async function postGraphQL<T>(
  url: string,
  query: string,
  variables: Record<string, unknown>,
  token: string,
  timeoutMs = 5000,
): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (err) {
    throw new ServiceCallError(`${url} did not answer: ${(err as Error).message}`, true);
  }
  const body = (await response.json().catch(() => undefined)) as
    { data?: T; errors?: { message: string; extensions?: { code?: string } }[] } | undefined;
  if (!body || (response.status >= 500 && !body.data)) {
    throw new ServiceCallError(`${url} answered HTTP ${response.status}`, response.status >= 500);
  }
  if (body.errors?.length) {
    const first = body.errors[0];
    throw new ServiceCallError(
      `${url}: ${first?.extensions?.code ?? 'ERROR'} ${first?.message ?? ''}`,
      first?.extensions?.code === 'INTERNAL' || first?.extensions?.code === 'SUBGRAPH_UNAVAILABLE',
      first?.extensions?.code,
    );
  }
  if (!body.data) throw new ServiceCallError(`${url} answered no data`, true);
  return body.data;
}
