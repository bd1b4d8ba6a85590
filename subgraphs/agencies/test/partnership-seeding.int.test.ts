import { triggerFor } from '@mash/schema';
import { AgencyDirectoryClient, type ServiceTokenSource } from '@mash/service-kit';
import { demoPartnershipSeed, demoPolicy, PolicyValidationError, seedPartnership } from '@mash/agencies';
import { agenciesOnDatabase, serviceToken } from '@test/support/fixtures/agencies';

const fixedToken = (token: string): ServiceTokenSource => ({
  token: async () => token,
  renew: async () => token,
});

// Integration: the real service over HTTP against a throwaway Postgres database with the real migrations.

describe('seeding a partnership with its own policy', () => {
  const h = agenciesOnDatabase();

  it('seeds a partnership with its own policy, such as a one-second grace period', async () => {
    const policy = demoPolicy({
      thresholdDisagreement: { gracePeriod: { amount: 1 / 3600, unit: 'hours' } },
    });
    const id = '5a1e0000-0000-4000-8000-000000000001';
    await seedPartnership(h.service.dataSource, {
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
    const client = new AgencyDirectoryClient(h.service.url, fixedToken(serviceToken));
    const stored = await client.policy(id);
    expect(triggerFor(stored, 'threshold-disagreement')?.gracePeriod).toEqual({
      amount: 1 / 3600,
      unit: 'hours',
    });
    const result = await h.graphql<{ agencies: { type: string }[] }>(
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
      seedPartnership(h.service.dataSource, {
        ...seed,
        partnership: { ...seed.partnership, policy: { ...demoPolicy(), stages: [] } },
      }),
    ).rejects.toBeInstanceOf(PolicyValidationError);
  });
});
