import { AgencyDirectoryClient, serviceTokenProvider, silentLogger, type JwtConfig } from '@mash/service-kit';
import { Demo } from '@mash/schema';
import { createTestDatabase, type TestDatabase } from '@test/support/database';
import { gql } from '@test/support/gateway-client';
import {
  AUDIENCE,
  IdentityProvider,
  ISSUER,
  sign,
  signingKey,
  type SigningKey,
} from '@test/support/identity-provider';
import { testServiceConfig } from '@test/support/service-config';
import { startAgenciesService, type RunningAgenciesService } from './start';

// Integration: the real agencies subgraph configured for an OpenID Connect provider (RS256 keys from a JWKS by
// kid, service tokens by client credentials), against a provider served on loopback by the test.

const idp = new IdentityProvider();
let first: SigningKey;
let jwt: JwtConfig;
let db: TestDatabase;
let service: RunningAgenciesService;

const practitioner = {
  sub: Demo.contacts.policePractitioner,
  roles: ['practitioner'],
  agency: Demo.agencies.police,
  partnership: Demo.partnershipId,
};
const partnerships = (token: string) =>
  gql<{ partnerships: { id: string }[] }>(service.url, '{ partnerships { id } }', {}, token);

beforeAll(async () => {
  idp.clientId = 'escalations';
  await idp.start();
  first = await signingKey('key-1', 'RS256');
  idp.published = [first];
  jwt = {
    JWT_ALGORITHM: 'RS256',
    JWT_JWKS_URL: `${idp.url}/jwks`,
    JWT_JWKS_COOLDOWN_SECONDS: 0,
    JWT_ISSUER: ISSUER,
    JWT_AUDIENCE: AUDIENCE,
    SERVICE_TOKEN_URL: `${idp.url}/token`,
    SERVICE_CLIENT_ID: 'escalations',
    SERVICE_CLIENT_SECRET: idp.clientSecret,
  };
  db = await createTestDatabase();
  service = await startAgenciesService(testServiceConfig({ databaseUrl: db.url, jwt }), {
    logger: silentLogger(),
    seedDemo: true,
  });
});

afterAll(async () => {
  await service?.stop();
  await db?.drop();
  await idp.stop();
});

describe('the agencies subgraph on an OpenID Connect provider', () => {
  it("answers a person's RS256 token verified with the provider's published key", async () => {
    const result = await partnerships(await sign(first, practitioner));
    expect(result.errors).toBeUndefined();
    expect(result.data?.partnerships.map((p) => p.id)).toContain(Demo.partnershipId);
  });

  it('accepts tokens under a rotated key at once, and refuses a kid the provider does not publish', async () => {
    const second = await signingKey('key-2', 'RS256');
    idp.published = [second, first];
    const rotated = await partnerships(await sign(second, practitioner));
    expect(rotated.errors).toBeUndefined();
    expect(rotated.data?.partnerships.map((p) => p.id)).toContain(Demo.partnershipId);

    const stranger = await signingKey('key-x', 'RS256');
    const refused = await partnerships(await sign(stranger, practitioner));
    expect(refused.status).toBe(401);
    expect(refused.errors?.map((e) => e.extensions?.['code'])).toEqual(['UNAUTHENTICATED']);
    expect(refused.data ?? null).toBeNull();
  });

  it('serves reference data to a service whose token it fetched with client credentials', async () => {
    idp.tokenRequests = [];
    const client = new AgencyDirectoryClient(service.url, serviceTokenProvider(jwt, 'escalations'));
    await expect(client.sourceSystem('tvp-niche')).resolves.toEqual({
      id: Demo.sourceSystems.police.id,
      code: 'tvp-niche',
      family: 'police',
      agencyId: Demo.agencies.police,
      partnershipId: Demo.partnershipId,
    });
    expect(idp.tokenRequests).toEqual(['grant_type=client_credentials&audience=mash-graph']);
  });
});
