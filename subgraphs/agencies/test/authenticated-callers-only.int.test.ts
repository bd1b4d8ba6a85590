import { signDevToken } from '@mash/service-kit';
import { Demo } from '@mash/schema';
import { testJwt } from '@test/support/auth';
import { agenciesOnDatabase, integratorToken, practitionerToken } from '@test/support/fixtures/agencies';

// Integration: the real service over HTTP against a throwaway Postgres database with the real migrations.

describe('reference data for authenticated callers only', () => {
  const h = agenciesOnDatabase();

  it('shows reference data to every authenticated caller, agency integrators included', async () => {
    for (const bearer of [practitionerToken, integratorToken]) {
      const result = await h.graphql<{ partnerships: { id: string }[] }>(
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
    const result = await h.graphql(
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
    const result = await h.graphql(
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
});
