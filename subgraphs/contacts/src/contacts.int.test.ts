import { silentLogger } from '@mash/service-kit';
import { Demo } from '@mash/schema';
import { testToken } from '@test/support/auth';
import { createTestDatabase, type TestDatabase } from '@test/support/database';
import { gql } from '@test/support/gateway-client';
import { testServiceConfig } from '@test/support/service-config';
import { seedContactsDemo } from './demo/seed';
import { seedContacts } from './services/seed-contacts';
import { startContactsService, type RunningContactsService } from './start';

// Integration: the real service over HTTP against a throwaway Postgres database with the real migrations.

const OTHER_PARTNERSHIP = '7e570000-0000-4000-8000-000000000001';
const OTHER_AGENCY = '7e570000-0000-4000-8000-000000000002';
const OTHER_CONTACT = '7e570000-0000-4000-8000-000000000003';

const tokens = {
  service: testToken({ sub: 'service:escalations', roles: ['service'] }),
  policePractitioner: testToken({
    sub: Demo.contacts.policePractitioner,
    roles: ['practitioner'],
    agency: Demo.agencies.police,
    partnership: Demo.partnershipId,
  }),
  mashOfficer: testToken({
    sub: Demo.contacts.mashOfficer,
    roles: ['mash-officer'],
    agency: Demo.agencies.laChildren,
    partnership: Demo.partnershipId,
  }),
  integrator: testToken({
    sub: 'integrator:tvp',
    roles: ['agency-integrator'],
    agency: Demo.agencies.police,
    partnership: Demo.partnershipId,
  }),
  otherPartnership: testToken({
    sub: OTHER_CONTACT,
    roles: ['line-manager'],
    agency: OTHER_AGENCY,
    partnership: OTHER_PARTNERSHIP,
  }),
};

let db: TestDatabase;
let service: RunningContactsService;

/** Posts to the service under test, as the escalations service unless told another bearer (null: none). */
const graphql = <T = Record<string, unknown>>(
  query: string,
  variables: Record<string, unknown> = {},
  bearer: string | null = tokens.service,
) => gql<T>(service.url, query, variables, bearer ?? undefined);

/** An Escalation representation as the router sends it, carrying the fields stageOwners @requires. */
function escalation(stage: number, stageOwnerRoles: string[], partnershipId: string = Demo.partnershipId) {
  return {
    __typename: 'Escalation',
    id: `escalation-stage-${stage}`,
    stage,
    stageOwnerRoles,
    raisingAgency: { id: Demo.agencies.police },
    receivingAgency: { id: Demo.agencies.laChildren },
    partnership: { id: partnershipId },
  };
}

const STAGE_OWNERS = `query ($representations: [_Any!]!) {
  _entities(representations: $representations) {
    ... on Escalation { id stageOwners { id name role onDutyCover agency { id } } }
  }
}`;

type StageOwnersData = {
  _entities: {
    id: string;
    stageOwners: { id: string; name: string; role: string; agency: { id: string } }[];
  }[];
};

beforeAll(async () => {
  db = await createTestDatabase();
  service = await startContactsService(testServiceConfig({ databaseUrl: db.url }), {
    logger: silentLogger(),
    seedDemo: true,
  });
  await seedContacts(service.dataSource, [
    {
      id: OTHER_CONTACT,
      partnershipId: OTHER_PARTNERSHIP,
      agencyId: OTHER_AGENCY,
      name: 'Olivia Elsewhere',
      role: 'line-manager',
      team: null,
      phone: null,
      email: 'olivia.elsewhere@elsewhere.example.org',
      managerId: null,
      onDutyCover: false,
    },
  ]);
});

afterAll(async () => {
  await service?.stop();
  await db?.drop();
});

describe('contacts subgraph', () => {
  it('answers ready while its database answers', async () => {
    const response = await fetch(new URL('/ready', service.url));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ready', service: 'contacts' });
  });

  it('shows a practitioner a colleague with their manager chain and reports', async () => {
    const result = await graphql<{
      contact: {
        name: string;
        role: string;
        phone: string;
        email: string;
        agency: { id: string };
        manager: { name: string; manager: { name: string; manager: null } };
        reports: unknown[];
      };
    }>(
      `
        query ($id: ID!) {
          contact(id: $id) {
            name
            role
            phone
            email
            agency {
              id
            }
            manager {
              name
              manager {
                name
                manager {
                  name
                }
              }
            }
            reports {
              name
            }
          }
        }
      `,
      { id: Demo.contacts.policePractitioner },
      tokens.policePractitioner,
    );
    expect(result.errors).toBeUndefined();
    expect(result.data?.contact).toEqual({
      name: 'Aisha Rahman',
      role: 'practitioner',
      phone: '07700 900101',
      email: 'aisha.rahman@police.example.org',
      agency: { id: Demo.agencies.police },
      manager: { name: 'Tom Hargreaves', manager: { name: 'Mark Ellison', manager: null } },
      reports: [],
    });
  });

  it("lists an agency's contacts, and a head of service's direct reports", async () => {
    const result = await graphql<{ contacts: { name: string }[]; contact: { reports: { name: string }[] } }>(
      `
        query ($agencyId: ID!, $head: ID!) {
          contacts(agencyId: $agencyId) {
            name
          }
          contact(id: $head) {
            reports {
              name
            }
          }
        }
      `,
      { agencyId: Demo.agencies.police, head: Demo.contacts.policeHeadOfService },
      tokens.mashOfficer,
    );
    expect(result.errors).toBeUndefined();
    expect(result.data?.contacts.map((c) => c.name).sort()).toEqual([
      'Aisha Rahman',
      'Claire Donovan',
      'Mark Ellison',
      'Tom Hargreaves',
    ]);
    expect(result.data?.contact.reports.map((c) => c.name).sort()).toEqual([
      'Claire Donovan',
      'Tom Hargreaves',
    ]);
  });

  it('routes stage 1 to the practitioners of both agencies, the one on duty cover first', async () => {
    const result = await graphql<StageOwnersData>(STAGE_OWNERS, {
      representations: [escalation(1, ['practitioner'])],
    });
    expect(result.errors).toBeUndefined();
    const owners = result.data?._entities[0]?.stageOwners ?? [];
    expect(owners.map((o) => o.id)).toEqual([
      Demo.contacts.laChildrenDutySocialWorker,
      Demo.contacts.policePractitioner,
      Demo.contacts.laChildrenPractitioner,
    ]);
    expect(owners[0]).toMatchObject({
      name: 'Hannah Lewis',
      onDutyCover: true,
      agency: { id: Demo.agencies.laChildren },
    });
  });

  it('routes stage 2 to line managers and DSLs, and stage 4 to the partnership chair, in one batch', async () => {
    const result = await graphql<StageOwnersData>(
      STAGE_OWNERS,
      {
        representations: [
          escalation(2, ['line-manager', 'designated-safeguarding-lead']),
          escalation(4, ['partnership-chair']),
        ],
      },
      tokens.mashOfficer,
    );
    expect(result.errors).toBeUndefined();
    const [stage2, stage4] = result.data?._entities ?? [];
    expect(stage2?.stageOwners.map((o) => o.name).sort()).toEqual([
      'Claire Donovan',
      'Rachel Meyer',
      'Tom Hargreaves',
    ]);
    expect(stage4?.stageOwners).toEqual([
      {
        id: Demo.contacts.partnershipChair,
        name: 'Elaine Carter',
        role: 'partnership-chair',
        onDutyCover: false,
        agency: { id: Demo.agencies.partnership },
      },
    ]);
  });

  it('resolves Contact and Agency entity references for the router', async () => {
    const result = await graphql<{ _entities: unknown[] }>(
      `
        query ($representations: [_Any!]!) {
          _entities(representations: $representations) {
            ... on Contact {
              id
              name
            }
            ... on Agency {
              id
              contacts {
                id
              }
            }
          }
        }
      `,
      {
        representations: [
          { __typename: 'Contact', id: Demo.contacts.mashOfficer },
          { __typename: 'Agency', id: Demo.agencies.partnership },
          { __typename: 'Contact', id: '00000000-0000-4000-8000-000000000000' },
        ],
      },
      tokens.mashOfficer,
    );
    expect(result.errors).toBeUndefined();
    expect(result.data?._entities).toEqual([
      { id: Demo.contacts.mashOfficer, name: 'Jordan Price' },
      { id: Demo.agencies.partnership, contacts: [{ id: Demo.contacts.partnershipChair }] },
      null,
    ]);
  });

  it('forbids agency integrators the directory and stage routing', async () => {
    const direct = await graphql(
      `
        query ($id: ID!) {
          contacts(agencyId: $id) {
            name
            phone
          }
        }
      `,
      { id: Demo.agencies.police },
      tokens.integrator,
    );
    expect(direct.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    expect(direct.data ?? null).toBeNull();

    const routed = await graphql(
      STAGE_OWNERS,
      { representations: [escalation(1, ['practitioner'])] },
      tokens.integrator,
    );
    expect(routed.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    expect(JSON.stringify(routed.data ?? null)).not.toContain('Aisha');
  });

  it("shows a caller from another partnership none of this partnership's directory", async () => {
    const result = await graphql<{ contact: null; contacts: unknown[]; mine: { name: string } }>(
      `
        query ($id: ID!, $agencyId: ID!, $mine: ID!) {
          contact(id: $id) {
            name
          }
          contacts(agencyId: $agencyId) {
            name
          }
          mine: contact(id: $mine) {
            name
          }
        }
      `,
      { id: Demo.contacts.policePractitioner, agencyId: Demo.agencies.police, mine: OTHER_CONTACT },
      tokens.otherPartnership,
    );
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({ contact: null, contacts: [], mine: { name: 'Olivia Elsewhere' } });

    const routed = await graphql<StageOwnersData>(
      STAGE_OWNERS,
      { representations: [escalation(4, ['partnership-chair'])] },
      tokens.otherPartnership,
    );
    expect(routed.errors).toBeUndefined();
    expect(routed.data?._entities[0]?.stageOwners).toEqual([]);
  });

  it('rejects an Escalation representation without the fields stageOwners requires', async () => {
    const result = await graphql(STAGE_OWNERS, {
      representations: [{ __typename: 'Escalation', id: 'escalation-without-fields' }],
    });
    expect(result.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
  });

  it('rejects a request without a token as UNAUTHENTICATED', async () => {
    const result = await graphql(`{ contact(id: "${Demo.contacts.mashOfficer}") { name } }`, {}, null);
    expect(result.status).toBe(401);
    expect(result.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(result.data ?? null).toBeNull();
  });

  it('seeds the demo again without duplicating anyone', async () => {
    await seedContactsDemo(service.dataSource);
    const [row] = (await service.dataSource.query(
      `SELECT count(*)::int AS n FROM "contacts"."contact" WHERE "partnership_id" = $1`,
      [Demo.partnershipId],
    )) as { n: number }[];
    expect(row?.n).toBe(12);
  });
});
