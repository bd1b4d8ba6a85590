import type { AgencyFamily, EscalationPolicy } from '@mash/schema';
import type { ServiceTokenSource } from './auth';
import { postGraphQL, ServiceCallError } from './graphql-client';

export interface SourceSystemRef {
  readonly id: string;
  readonly code: string;
  readonly family: AgencyFamily;
  readonly agencyId: string;
  readonly partnershipId: string;
}

export interface AgencyDirectory {
  /** The registered source system with this code, or null when none is registered. */
  sourceSystem(code: string): Promise<SourceSystemRef | null>;
  /** The partnership's escalation policy. */
  policy(partnershipId: string): Promise<EscalationPolicy>;
  /** The names of a partnership's agencies by id, so recorded reasons name agencies as people read them. */
  agencyNames?(partnershipId: string): Promise<ReadonlyMap<string, string>>;
}

const AUTH_CODES = new Set(['TOKEN_EXPIRED', 'UNAUTHENTICATED']);

const SOURCE_SYSTEM = /* GraphQL */ `
  query SourceSystem($code: String!) {
    sourceSystem(code: $code) {
      id
      code
      family
      agency {
        id
        partnership {
          id
        }
      }
    }
  }
`;
const AGENCY_NAMES = /* GraphQL */ `
  query PartnershipAgencies($id: ID!) {
    partnership(id: $id) {
      agencies {
        id
        name
      }
    }
  }
`;
const POLICY = /* GraphQL */ `
  query PartnershipPolicy($id: ID!) {
    partnership(id: $id) {
      id
      policyDocument
    }
  }
`;

/**
 * Reads reference data (source systems, policies) from the agencies subgraph, which owns it, over GraphQL, with a
 * short cache. Failures are ServiceCallErrors marked retriable, so a consumer retries rather than rejecting events.
 */
export class AgencyDirectoryClient implements AgencyDirectory {
  private readonly cache = new Map<string, { value: unknown; until: number }>();

  constructor(
    private readonly url: string,
    private readonly tokens: ServiceTokenSource,
    private readonly ttlMs = 30_000,
  ) {}

  async sourceSystem(code: string): Promise<SourceSystemRef | null> {
    // "Not registered" is not cached: a source system registered a moment ago must be recognised at once.
    return this.cached(
      `source:${code}`,
      (v) => v !== null,
      async () => {
        const data = await this.call<{
          sourceSystem: {
            id: string;
            code: string;
            family: AgencyFamily;
            agency: { id: string; partnership: { id: string } };
          } | null;
        }>(SOURCE_SYSTEM, { code });
        const s = data.sourceSystem;
        return s
          ? {
              id: s.id,
              code: s.code,
              family: s.family,
              agencyId: s.agency.id,
              partnershipId: s.agency.partnership.id,
            }
          : null;
      },
    );
  }

  async agencyNames(partnershipId: string): Promise<ReadonlyMap<string, string>> {
    return this.cached(
      `agencies:${partnershipId}`,
      () => true,
      async () => {
        const data = await this.call<{ partnership: { agencies: { id: string; name: string }[] } | null }>(
          AGENCY_NAMES,
          { id: partnershipId },
        );
        return new Map((data.partnership?.agencies ?? []).map((a) => [a.id, a.name]));
      },
    );
  }

  async policy(partnershipId: string): Promise<EscalationPolicy> {
    return this.cached(
      `policy:${partnershipId}`,
      () => true,
      async () => {
        const data = await this.call<{ partnership: { policyDocument: EscalationPolicy } | null }>(POLICY, {
          id: partnershipId,
        });
        if (!data.partnership) throw new Error(`partnership ${partnershipId} is not registered`);
        return data.partnership.policyDocument;
      },
    );
  }

  /**
   * One call with the service token; when the agencies subgraph says the token has expired or is refused, the
   * token is renewed and the call made once more, so a consumer never retries for ever on a stale token.
   */
  private async call<T>(query: string, variables: Record<string, unknown>): Promise<T> {
    try {
      return await postGraphQL<T>(this.url, query, variables, await this.tokens.token());
    } catch (err) {
      if (!(err instanceof ServiceCallError) || !AUTH_CODES.has(err.code ?? '')) throw err;
      return postGraphQL<T>(this.url, query, variables, await this.tokens.renew());
    }
  }

  private async cached<T>(key: string, keep: (value: T) => boolean, load: () => Promise<T>): Promise<T> {
    const hit = this.cache.get(key);
    if (hit && hit.until > Date.now()) return hit.value as T;
    const value = await load();
    if (keep(value)) this.cache.set(key, { value, until: Date.now() + this.ttlMs });
    return value;
  }
}
