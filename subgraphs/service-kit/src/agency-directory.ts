import type { AgencyFamily, EscalationPolicy } from '@mash/schema';
import { postGraphQL } from './graphql-client';

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
}

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
    private readonly token: () => string,
    private readonly ttlMs = 30_000,
  ) {}

  async sourceSystem(code: string): Promise<SourceSystemRef | null> {
    // "Not registered" is not cached: a source system registered a moment ago must be recognised at once.
    return this.cached(
      `source:${code}`,
      (v) => v !== null,
      async () => {
        const data = await postGraphQL<{
          sourceSystem: {
            id: string;
            code: string;
            family: AgencyFamily;
            agency: { id: string; partnership: { id: string } };
          } | null;
        }>(this.url, SOURCE_SYSTEM, { code }, this.token());
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

  async policy(partnershipId: string): Promise<EscalationPolicy> {
    return this.cached(
      `policy:${partnershipId}`,
      () => true,
      async () => {
        const data = await postGraphQL<{ partnership: { policyDocument: EscalationPolicy } | null }>(
          this.url,
          POLICY,
          { id: partnershipId },
          this.token(),
        );
        if (!data.partnership) throw new Error(`partnership ${partnershipId} is not registered`);
        return data.partnership.policyDocument;
      },
    );
  }

  private async cached<T>(key: string, keep: (value: T) => boolean, load: () => Promise<T>): Promise<T> {
    const hit = this.cache.get(key);
    if (hit && hit.until > Date.now()) return hit.value as T;
    const value = await load();
    if (keep(value)) this.cache.set(key, { value, until: Date.now() + this.ttlMs });
    return value;
  }
}
