import { AGENCY_TYPES, type AgencyFamily, type AgencyType, type EscalationPolicy } from '@mash/schema';
import type { ServiceTokenSource } from './auth';
import { postGraphQL, ServiceCallError } from './graphql-client';

export interface SourceSystemRef {
  readonly id: string;
  readonly code: string;
  readonly family: AgencyFamily;
  readonly agencyId: string;
  readonly partnershipId: string;
}

/** A partnership's member agency as the escalation rules need it: who it is, what it is called, what kind it is. */
export interface AgencyRef {
  readonly id: string;
  readonly name: string;
  readonly type: AgencyType;
}

export interface AgencyDirectory {
  /** The registered source system with this code, or null when none is registered. */
  sourceSystem(code: string): Promise<SourceSystemRef | null>;
  /**
   * The registered source system with this code when the directory holds it fresh, without waiting; undefined when
   * it would have to ask (not held, expired, or not registered: "not registered" is never held). A consumer's run
   * then checks its records without yielding to the event loop between them, so another run's database write and
   * send proceed while it does (`sourceSystem` awaits even a hit). Optional: a directory without a cache asks.
   */
  cachedSourceSystem?(code: string): SourceSystemRef | undefined;
  /** The partnership's escalation policy. */
  policy(partnershipId: string): Promise<EscalationPolicy>;
  /**
   * A partnership's member agencies with their names and types: reasons name agencies as people read them, and the
   * automatic triggers choose raising and receiving agencies by type. Optional so that services that need no
   * agencies (connectors) can stub the directory without it.
   */
  agencies?(partnershipId: string): Promise<readonly AgencyRef[]>;
  /** The names of a partnership's agencies by id (the `agencies` call, by id). */
  agencyNames?(partnershipId: string): Promise<ReadonlyMap<string, string>>;
}

/** The names of `agencies` by id. */
export function agencyNamesOf(agencies: readonly AgencyRef[]): ReadonlyMap<string, string> {
  return new Map(agencies.map((a) => [a.id, a.name]));
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
const AGENCIES = /* GraphQL */ `
  query PartnershipAgencies($id: ID!) {
    partnership(id: $id) {
      agencies {
        id
        name
        type
      }
    }
  }
`;
/** GraphQL's enum name (`LA_CHILDREN`) as the domain value (`la-children`). */
const AGENCY_TYPE_BY_ENUM_NAME = new Map<string, AgencyType>(
  AGENCY_TYPES.map((t) => [t.toUpperCase().replace(/-/g, '_'), t]),
);
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
 * short cache, refreshed ahead of its expiry while in use. Failures are ServiceCallErrors marked retriable, so a consumer retries rather than rejecting events.
 */
export class AgencyDirectoryClient implements AgencyDirectory {
  private readonly cache = new Map<string, { value: unknown; until: number; refreshing?: boolean }>();

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
      () => this.loadSourceSystem(code),
    );
  }

  private async loadSourceSystem(code: string): Promise<SourceSystemRef | null> {
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
  }

  cachedSourceSystem(code: string): SourceSystemRef | undefined {
    return (
      this.fresh<SourceSystemRef | null>(
        `source:${code}`,
        (v) => v !== null,
        () => this.loadSourceSystem(code),
      )?.value ?? undefined
    );
  }

  async agencies(partnershipId: string): Promise<readonly AgencyRef[]> {
    return this.cached(
      `agencies:${partnershipId}`,
      () => true,
      async () => {
        const data = await this.call<{
          partnership: { agencies: { id: string; name: string; type: string }[] } | null;
        }>(AGENCIES, { id: partnershipId });
        return (data.partnership?.agencies ?? []).map((a) => {
          const type = AGENCY_TYPE_BY_ENUM_NAME.get(a.type) ?? AGENCY_TYPES.find((t) => t === a.type);
          if (!type) throw new ServiceCallError(`agency ${a.id} has an unknown type ${a.type}`, true);
          return { id: a.id, name: a.name, type };
        });
      },
    );
  }

  async agencyNames(partnershipId: string): Promise<ReadonlyMap<string, string>> {
    return agencyNamesOf(await this.agencies(partnershipId));
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

  /**
   * The cached value while it is younger than the TTL, else loaded (and kept when `keep` says so). An entry used in
   * the second half of its life is loaded again in the background, once, and replaced (or dropped, when `keep`
   * refuses the new value: a source system no longer registered), so reference data in steady use is never waited
   * for: a connector's first run after a pause of a few seconds used to wait on the agencies subgraph first (55 ms
   * of a 1.2 s `bench:ingest` connector stage). Nothing is answered past its TTL: a refresh that fails or has not
   * answered leaves the entry to expire, and the next use waits for a load as before.
   */
  private async cached<T>(key: string, keep: (value: T) => boolean, load: () => Promise<T>): Promise<T> {
    const hit = this.fresh(key, keep, load);
    if (hit) return hit.value;
    const value = await load();
    if (keep(value)) this.cache.set(key, { value, until: Date.now() + this.ttlMs });
    return value;
  }

  /**
   * The entry while it is younger than the TTL (starting its refresh when it is in the second half of its life),
   * else undefined: `cached`'s answer when it need not wait.
   */
  private fresh<T>(
    key: string,
    keep: (value: T) => boolean,
    load: () => Promise<T>,
  ): { value: T } | undefined {
    const hit = this.cache.get(key);
    const now = Date.now();
    if (!hit || hit.until <= now) return undefined;
    if (!hit.refreshing && hit.until - now < this.ttlMs / 2) {
      hit.refreshing = true;
      load().then(
        (value) => {
          // Only over the entry it refreshes: a load that replaced it meanwhile (after it expired) is newer.
          if (this.cache.get(key) !== hit) return;
          if (keep(value)) this.cache.set(key, { value, until: Date.now() + this.ttlMs });
          else this.cache.delete(key);
        },
        // One try per entry: after a failure the entry expires, and its next use waits for a load as before.
        () => undefined,
      );
    }
    return { value: hit.value as T };
  }
}
