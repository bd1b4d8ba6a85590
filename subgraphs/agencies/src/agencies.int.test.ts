import {
  AgencyDirectoryClient,
  signDevToken,
  silentLogger,
  type ServiceTokenSource,
} from '@mash/service-kit';
import { Demo } from '@mash/schema';
import { testJwt, testToken } from '@test/support/auth';
import { createTestDatabase, type TestDatabase } from '@test/support/database';
import { gql } from '@test/support/gateway-client';
import { testServiceConfig } from '@test/support/service-config';
import { demoPolicy } from './demo/policy';
import { PolicyValidationError } from './domain/policy';
import { demoPartnershipSeed, seedAgenciesDemo } from './demo/seed';
import { seedPartnership } from './services/seed-partnership';
import { startAgenciesService, type RunningAgenciesService } from './start';

// Integration: the real service over HTTP against a throwaway Postgres database with the real migrations.

const serviceToken = testToken({ sub: 'service:escalations', roles: ['service'] });
const fixedToken = (token: string): ServiceTokenSource => ({
  token: async () => token,
  renew: async () => token,
});
const practitionerToken = testToken({
  sub: Demo.contacts.policePractitioner,
  roles: ['practitioner'],
  agency: Demo.agencies.police,
  partnership: Demo.partnershipId,
});
const integratorToken = testToken({
  sub: 'integrator:tvp',
  roles: ['agency-integrator'],
  agency: Demo.agencies.police,
  partnership: Demo.partnershipId,
});

let db: TestDatabase;
let service: RunningAgenciesService;

/** Posts to the service under test, as the escalations service unless told another bearer (null: none). */
const graphql = <T = Record<string, unknown>>(
  query: string,
  variables: Record<string, unknown> = {},
  bearer: string | null = serviceToken,
) => gql<T>(service.url, query, variables, bearer ?? undefined);

beforeAll(async () => {
  db = await createTestDatabase();
  service = await startAgenciesService(testServiceConfig({ databaseUrl: db.url }), {
    logger: silentLogger(),
    seedDemo: true,
  });
});

afterAll(async () => {
  await service?.stop();
  await db?.drop();
});

describe('agencies subgraph', () => {
  it('answers ready while its database answers', async () => {
    const response = await fetch(new URL('/ready', service.url));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ready', service: 'agencies' });
  });

  it('serves the demo partnership with its policy document, typed policy and agencies', async () => {
    const result = await graphql<{
      partnership: {
        id: string;
        name: string;
        kind: string;
        policyDocument: unknown;
        escalationPolicy: {
          stages: {
            stage: number;
            ownerRoles: string[];
            timescale: { amount: number; unit: string } | null;
          }[];
          thresholdDisagreement: { minimumSteps: number; gracePeriod: { amount: number; unit: string } };
        };
        agencies: { id: string; name: string; type: string; partnership: { id: string } }[];
      };
    }>(
      `
        query ($id: ID!) {
          partnership(id: $id) {
            id
            name
            kind
            policyDocument
            escalationPolicy {
              stages {
                stage
                ownerRoles
                timescale {
                  amount
                  unit
                }
                immediateRiskTimescale {
                  amount
                  unit
                }
              }
              thresholdDisagreement {
                enabled
                minimumSteps
                highRiskNoFurtherAction
                gracePeriod {
                  amount
                  unit
                }
              }
            }
            agencies {
              id
              name
              type
              partnership {
                id
              }
            }
          }
        }
      `,
      { id: Demo.partnershipId },
    );
    expect(result.errors).toBeUndefined();
    const partnership = result.data?.partnership;
    expect(partnership).toMatchObject({
      id: Demo.partnershipId,
      name: 'MK Together Safeguarding Partnership',
    });
    expect(partnership?.kind).toBe('LSCP');
    expect(partnership?.policyDocument).toEqual(demoPolicy());
    expect(partnership?.escalationPolicy.stages.map((s) => s.timescale)).toEqual([
      { amount: 7, unit: 'calendar-days' },
      { amount: 5, unit: 'working-days' },
      { amount: 10, unit: 'calendar-days' },
      null,
    ]);
    expect(partnership?.escalationPolicy.thresholdDisagreement).toMatchObject({
      minimumSteps: 2,
      gracePeriod: { amount: 1, unit: 'working-days' },
    });
    // By name, in the database's collation; compare as a set so the test does not depend on it.
    expect(partnership?.agencies.map((a) => [a.name, a.type]).sort()).toEqual([
      ['MK Together Business Unit', 'PARTNERSHIP_BUSINESS_UNIT'],
      ["Milton Keynes Council Children's Services", 'LA_CHILDREN'],
      ['Milton Keynes Education Safeguarding', 'EDUCATION'],
      ['Milton Keynes University Hospital', 'HEALTH'],
      ['Thames Valley Police', 'POLICE'],
    ]);
    expect(new Set(partnership?.agencies.map((a) => a.partnership.id))).toEqual(
      new Set([Demo.partnershipId]),
    );
  });

  it('renews the service token when the agencies subgraph says it has expired, and answers', async () => {
    const expired = testToken({ sub: 'service:escalations', roles: ['service'] }, -5);
    const presented: string[] = [];
    let renewals = 0;
    const client = new AgencyDirectoryClient(service.url, {
      token: async () => {
        presented.push(expired);
        return expired;
      },
      renew: async () => {
        renewals++;
        presented.push(serviceToken);
        return serviceToken;
      },
    });
    await expect(client.sourceSystem('tvp-niche')).resolves.toMatchObject({ code: 'tvp-niche' });
    expect(renewals).toBe(1);
    expect(presented).toEqual([expired, serviceToken]);
  });

  it('answers the agency directory client: a source system by code and a policy by partnership', async () => {
    const client = new AgencyDirectoryClient(service.url, fixedToken(serviceToken));
    await expect(client.sourceSystem('tvp-niche')).resolves.toEqual({
      id: Demo.sourceSystems.police.id,
      code: 'tvp-niche',
      family: 'police',
      agencyId: Demo.agencies.police,
      partnershipId: Demo.partnershipId,
    });
    await expect(client.sourceSystem('mkuh-systmone')).resolves.toMatchObject({
      family: 'health',
      agencyId: Demo.agencies.health,
    });
    await expect(client.sourceSystem('not-registered')).resolves.toBeNull();
    await expect(client.policy(Demo.partnershipId)).resolves.toEqual(demoPolicy());
  });

  it("lists an agency's source systems with their family and identifier system", async () => {
    const result = await graphql<{
      agency: { name: string; sourceSystems: { code: string; family: string; identifierSystem: string }[] };
    }>(
      `
        query ($id: ID!) {
          agency(id: $id) {
            name
            sourceSystems {
              code
              family
              identifierSystem
            }
          }
        }
      `,
      {
        id: Demo.agencies.laChildren,
      },
    );
    expect(result.data?.agency).toEqual({
      name: "Milton Keynes Council Children's Services",
      sourceSystems: [{ code: 'mk-lcs', family: 'la-children', identifierSystem: 'la-person-id' }],
    });
  });

  it('answers null for an unknown or malformed id rather than failing', async () => {
    const result = await graphql<{ partnership: null; agency: null }>(`
      {
        partnership(id: "00000000-0000-4000-8000-000000000000") {
          id
        }
        agency(id: "not-a-uuid") {
          id
        }
      }
    `);
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({ partnership: null, agency: null });
  });

  it('resolves Partnership and Agency entity references for the router', async () => {
    const result = await graphql<{ _entities: ({ id: string; name: string } | null)[] }>(
      `
        query ($representations: [_Any!]!) {
          _entities(representations: $representations) {
            ... on Partnership {
              id
              name
            }
            ... on Agency {
              id
              name
            }
          }
        }
      `,
      {
        representations: [
          { __typename: 'Agency', id: Demo.agencies.police },
          { __typename: 'Partnership', id: Demo.partnershipId },
          { __typename: 'Agency', id: Demo.agencies.health },
          { __typename: 'Agency', id: '00000000-0000-4000-8000-000000000000' },
        ],
      },
    );
    expect(result.errors).toBeUndefined();
    expect(result.data?._entities).toEqual([
      { id: Demo.agencies.police, name: 'Thames Valley Police' },
      { id: Demo.partnershipId, name: 'MK Together Safeguarding Partnership' },
      { id: Demo.agencies.health, name: 'Milton Keynes University Hospital' },
      null,
    ]);
  });

  it('shows reference data to every authenticated caller, agency integrators included', async () => {
    for (const bearer of [practitionerToken, integratorToken]) {
      const result = await graphql<{ partnerships: { id: string }[] }>(
        `
          {
            partnerships {
              id
            }
          }
        `,
        {},
        bearer,
      );
      expect(result.errors).toBeUndefined();
      expect(result.data?.partnerships.map((p) => p.id)).toContain(Demo.partnershipId);
    }
  });

  it('rejects a request without a token as UNAUTHENTICATED', async () => {
    const result = await graphql(
      `
        {
          partnerships {
            id
          }
        }
      `,
      {},
      null,
    );
    expect(result.status).toBe(401);
    expect(result.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(result.data ?? null).toBeNull();
  });

  it('rejects a token signed with another secret as UNAUTHENTICATED', async () => {
    const forged = signDevToken(
      { ...testJwt, JWT_SECRET: 'some-other-secret-entirely-0123456789' },
      {
        sub: 'service:x',
        roles: ['service'],
      },
    );
    const result = await graphql(
      `
        {
          partnerships {
            id
          }
        }
      `,
      {},
      forged,
    );
    expect(result.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('seeds the demo again without duplicating anything', async () => {
    await seedAgenciesDemo(service.dataSource);
    const [counts] = (await service.dataSource.query(
      `SELECT (SELECT count(*) FROM "agencies"."partnership")::int AS partnerships,
              (SELECT count(*) FROM "agencies"."agency")::int AS agencies,
              (SELECT count(*) FROM "agencies"."source_system")::int AS "sourceSystems"`,
    )) as { partnerships: number; agencies: number; sourceSystems: number }[];
    expect(counts).toMatchObject({ agencies: 5, sourceSystems: 4 });
  });

  it('seeds a partnership with its own policy, such as a one-second grace period', async () => {
    const policy = demoPolicy({
      thresholdDisagreement: { gracePeriod: { amount: 1 / 3600, unit: 'hours' } },
    });
    const id = '5a1e0000-0000-4000-8000-000000000001';
    await seedPartnership(service.dataSource, {
      partnership: { id, code: 'fast-clock', name: 'Fast Clock Partnership', kind: 'SAB', policy },
      agencies: [
        {
          id: '5a1e0000-0000-4000-8000-000000000002',
          code: 'la',
          name: 'Adult Social Care',
          type: 'la-adults',
        },
      ],
      sourceSystems: [],
    });
    const client = new AgencyDirectoryClient(service.url, fixedToken(serviceToken));
    const stored = await client.policy(id);
    expect(stored.triggers.thresholdDisagreement.gracePeriod).toEqual({ amount: 1 / 3600, unit: 'hours' });
    const result = await graphql<{ agencies: { type: string }[] }>(
      `
        query ($id: ID!) {
          agencies(partnershipId: $id) {
            type
          }
        }
      `,
      {
        id,
      },
    );
    expect(result.data?.agencies).toEqual([{ type: 'LA_ADULTS' }]);
  });

  it('refuses to seed a partnership whose policy breaks the rules', async () => {
    const seed = demoPartnershipSeed();
    await expect(
      seedPartnership(service.dataSource, {
        ...seed,
        partnership: { ...seed.partnership, policy: { ...demoPolicy(), stages: [] } },
      }),
    ).rejects.toBeInstanceOf(PolicyValidationError);
  });
});
