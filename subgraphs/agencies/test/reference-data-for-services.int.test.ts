import { AgencyDirectoryClient, type ServiceTokenSource } from '@mash/service-kit';
import { Demo } from '@mash/schema';
import { demoPolicy } from '@mash/agencies';
import { testToken } from '@test/support/auth';
import { agenciesOnDatabase, serviceToken } from '@test/support/fixtures/agencies';

const fixedToken = (token: string): ServiceTokenSource => ({
  token: async () => token,
  renew: async () => token,
});

// Integration: the real service over HTTP against a throwaway Postgres database with the real migrations.

describe('reference data read by other services: the directory client and the router', () => {
  const h = agenciesOnDatabase();

  it('renews the service token when the agencies subgraph says it has expired, and answers', async () => {
    const expired = testToken({ sub: 'service:escalations', roles: ['service'] }, -5);
    const presented: string[] = [];
    let renewals = 0;
    const client = new AgencyDirectoryClient(h.service.url, {
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
    const client = new AgencyDirectoryClient(h.service.url, fixedToken(serviceToken));
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

  it('resolves Partnership and Agency entity references for the router', async () => {
    const result = await h.graphql<{ _entities: ({ id: string; name: string } | null)[] }>(
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
});
