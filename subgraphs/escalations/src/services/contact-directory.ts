import { postGraphQL, ServiceCallError, type ServiceTokenSource } from '@mash/service-kit';

/** A contact of the professionals' directory, as the escalation rules need it: who, and which agency. */
export interface ContactRef {
  readonly id: string;
  readonly agencyId: string;
}

/**
 * The professionals' directory, owned by the contacts subgraph. Meetings and resolution panels name their people
 * by contact id and agency; the directory says whether each is who they are said to be, and whether the agencies
 * in dispute have anyone who could sit on a panel.
 */
export interface ContactDirectory {
  /** Each agency's contacts (an agency with none, or of another partnership, has an empty list). */
  contactsOf(agencyIds: readonly string[]): Promise<ReadonlyMap<string, readonly ContactRef[]>>;
}

const CONTACTS = /* GraphQL */ `
  query AgencyContacts($agencyId: ID!) {
    contacts(agencyId: $agencyId) {
      id
      agency {
        id
      }
    }
  }
`;

const AUTH_CODES = new Set(['TOKEN_EXPIRED', 'UNAUTHENTICATED']);

/**
 * Reads the directory from the contacts subgraph over GraphQL with the service's token (services read the whole
 * directory: it is reference data to them). Not cached: a meeting names people who may have joined a moment ago.
 * Failures are `ServiceCallError`s; the escalation service answers them as SUBGRAPH_UNAVAILABLE.
 */
export class ContactDirectoryClient implements ContactDirectory {
  constructor(
    private readonly url: string,
    private readonly tokens: ServiceTokenSource,
  ) {}

  async contactsOf(agencyIds: readonly string[]): Promise<ReadonlyMap<string, readonly ContactRef[]>> {
    const unique = [...new Set(agencyIds)];
    const lists = await Promise.all(unique.map((agencyId) => this.contactsOfOne(agencyId)));
    return new Map(unique.map((id, i) => [id, lists[i]!]));
  }

  private async contactsOfOne(agencyId: string): Promise<ContactRef[]> {
    const data = await this.call<{ contacts: { id: string; agency: { id: string } }[] }>(CONTACTS, {
      agencyId,
    });
    return data.contacts.map((c) => ({ id: c.id, agencyId: c.agency.id }));
  }

  private async call<T>(query: string, variables: Record<string, unknown>): Promise<T> {
    try {
      return await postGraphQL<T>(this.url, query, variables, await this.tokens.token());
    } catch (err) {
      if (!(err instanceof ServiceCallError) || !AUTH_CODES.has(err.code ?? '')) throw err;
      return postGraphQL<T>(this.url, query, variables, await this.tokens.renew());
    }
  }
}

/** A fixed directory, for tests and for running the subgraph alone. */
export function staticContactDirectory(contacts: readonly ContactRef[]): ContactDirectory {
  return {
    contactsOf: (agencyIds) =>
      Promise.resolve(new Map(agencyIds.map((a) => [a, contacts.filter((c) => c.agencyId === a)]))),
  };
}
