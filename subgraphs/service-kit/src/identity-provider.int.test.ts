import { decodeJwt, SignJWT } from 'jose';
import {
  AUDIENCE,
  IdentityProvider,
  ISSUER,
  sign,
  signingKey,
  type SigningKey,
} from '@test/support/identity-provider';
import { JwtVerifier, serviceTokenProvider, ServiceTokenExpiredError } from './auth';
import type { JwtConfig } from './config';

// Against a real OpenID Connect provider's surface on loopback (test/support/identity-provider.ts): a node:http
// server serving a JWKS generated in the test, keys rotated by it, and a client-credentials token endpoint.

const codeOf = async (p: Promise<unknown>): Promise<unknown> => {
  try {
    await p;
  } catch (err) {
    return (err as { extensions?: { code?: string } }).extensions?.code;
  }
  return undefined;
};

const officer = { sub: 'contact-1', roles: ['mash-officer'], partnership: 'p-1' };

describe('tokens from an OpenID Connect provider, keys from its JWKS', () => {
  const idp = new IdentityProvider();
  let config: JwtConfig;
  let first: SigningKey;
  let ecKey: SigningKey;

  beforeAll(async () => {
    await idp.start();
    first = await signingKey('key-2026-11', 'RS256');
    ecKey = await signingKey('ec-2026-11', 'ES256');
    config = {
      JWT_ALGORITHM: 'RS256',
      JWT_JWKS_URL: `${idp.url}/jwks`,
      // No cool-down between fetches for an unknown kid, so a rotation is seen at once in the test.
      JWT_JWKS_COOLDOWN_SECONDS: 0,
      JWT_ISSUER: ISSUER,
      JWT_AUDIENCE: AUDIENCE,
    };
  });
  afterAll(() => idp.stop());
  beforeEach(() => {
    idp.published = [first];
    idp.jwksFetches = 0;
  });

  it('verifies an RS256 token by its kid with a key fetched from the JWKS, fetching the set once', async () => {
    const verifier = new JwtVerifier(config);
    const a = await sign(first, officer);
    const b = await sign(first, { ...officer, sub: 'contact-2' });
    expect(await verifier.verify(a)).toEqual({
      subject: 'contact-1',
      roles: ['mash-officer'],
      partnershipId: 'p-1',
    });
    expect((await verifier.verify(b)).subject).toBe('contact-2');
    expect(idp.jwksFetches).toBe(1);
  });

  it('picks up a rotated key: a token under a new kid makes the verifier fetch the set again', async () => {
    const verifier = new JwtVerifier(config);
    expect((await verifier.verify(await sign(first, officer))).subject).toBe('contact-1');
    const second = await signingKey('key-2026-12', 'RS256');
    idp.published = [second, first];
    expect((await verifier.verify(await sign(second, officer))).subject).toBe('contact-1');
    expect(idp.jwksFetches).toBe(2);
    // The retired key's tokens still verify while it is published.
    expect((await verifier.verify(await sign(first, { ...officer, sub: 'contact-3' }))).subject).toBe(
      'contact-3',
    );
  });

  it('refuses a token whose kid the provider does not publish, and one signed by an impostor under a known kid', async () => {
    const verifier = new JwtVerifier(config);
    const stranger = await signingKey('not-published', 'RS256');
    expect(await codeOf(verifier.verify(await sign(stranger, officer)))).toBe('UNAUTHENTICATED');
    const impostor = { ...(await signingKey(first.kid, 'RS256')) };
    expect(await codeOf(verifier.verify(await sign(impostor, officer)))).toBe('UNAUTHENTICATED');
  });

  it('verifies ES256 tokens from the JWKS and refuses an RS256 one when ES256 is pinned', async () => {
    idp.published = [first, ecKey];
    const verifier = new JwtVerifier({ ...config, JWT_ALGORITHM: 'ES256' });
    expect((await verifier.verify(await sign(ecKey, officer))).subject).toBe('contact-1');
    expect(await codeOf(verifier.verify(await sign(first, officer)))).toBe('UNAUTHENTICATED');
  });

  it('refuses a JWKS token that is not yet valid (nbf), or lives longer than allowed', async () => {
    const verifier = new JwtVerifier({ ...config, JWT_MAX_TOKEN_LIFETIME_SECONDS: 900 });
    const early = await new SignJWT({ roles: ['mash-officer'] })
      .setProtectedHeader({ alg: 'RS256', kid: first.kid })
      .setSubject('contact-1')
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt()
      .setNotBefore('2m')
      .setExpirationTime('10m')
      .sign(first.privateKey);
    expect(await codeOf(verifier.verify(early))).toBe('UNAUTHENTICATED');
    expect(await codeOf(verifier.verify(await sign(first, officer, 901)))).toBe('UNAUTHENTICATED');
    expect((await verifier.verify(await sign(first, officer, 900))).subject).toBe('contact-1');
  });

  it('says the identity provider is unavailable (retriable) when its JWKS cannot be fetched', async () => {
    const verifier = new JwtVerifier({ ...config, JWT_JWKS_URL: 'http://127.0.0.1:9/jwks' });
    expect(await codeOf(verifier.verify(await sign(first, officer)))).toBe('IDENTITY_PROVIDER_UNAVAILABLE');
  });

  describe('service identities', () => {
    const clientCredentials = (): JwtConfig => ({
      ...config,
      SERVICE_TOKEN_URL: `${idp.url}/token`,
      SERVICE_CLIENT_ID: 'connector',
      SERVICE_CLIENT_SECRET: 's3cret-client',
    });
    beforeEach(() => {
      idp.tokenRequests = [];
      idp.issueLifetimeSeconds = 60;
    });

    it('fetches a service token with client credentials, which the verifier accepts as a service', async () => {
      const tokens = serviceTokenProvider(clientCredentials(), 'connector');
      const token = await tokens.token();
      expect(await new JwtVerifier(config).verify(token)).toEqual({
        subject: 'service:connector',
        roles: ['service'],
      });
      expect(await tokens.token()).toBe(token);
      expect(idp.tokenRequests).toEqual(['grant_type=client_credentials&audience=mash-graph']);
    });

    it('renews the service token before it expires rather than presenting an expired one', async () => {
      const tokens = serviceTokenProvider(clientCredentials(), 'connector');
      const first = await tokens.token();
      const now = Date.now();
      // Past half of its 60 s lifetime: the next call fetches a new one.
      const clock = jest.spyOn(Date, 'now').mockReturnValue(now + 31_000);
      try {
        await tokens.token();
      } finally {
        clock.mockRestore();
      }
      expect(idp.tokenRequests).toHaveLength(2);
      expect(typeof first).toBe('string');
      // And at once when another service says the token has expired.
      await tokens.renew();
      expect(idp.tokenRequests).toHaveLength(3);
    });

    it('says the identity provider refused the client credentials, with its HTTP status', async () => {
      const tokens = serviceTokenProvider(
        { ...clientCredentials(), SERVICE_CLIENT_SECRET: 'wrong' },
        'connector',
      );
      await expect(tokens.token()).rejects.toThrow(/issued no service token \(HTTP 401\)/);
    });

    it('refuses a fixed SERVICE_TOKEN that has already expired at start-up, naming the way to renew', async () => {
      const expired = await sign(first, { sub: 'service:connector', roles: ['service'] }, -10);
      expect(() => serviceTokenProvider({ ...config, SERVICE_TOKEN: expired }, 'connector')).toThrow(
        ServiceTokenExpiredError,
      );
      expect(() => serviceTokenProvider({ ...config, SERVICE_TOKEN: expired }, 'connector')).toThrow(
        /SERVICE_TOKEN_URL/,
      );
    });

    it('renews a token minted from the HS256 secret before it expires', async () => {
      const hs: JwtConfig = {
        JWT_ALGORITHM: 'HS256',
        JWT_SECRET: 'unit-test-secret-0123456789abcdefghij',
        JWT_ISSUER: 'mash-graph',
        JWT_AUDIENCE: 'mash-graph',
      };
      const tokens = serviceTokenProvider(hs, 'escalations');
      const minted = await tokens.token();
      expect(await tokens.token()).toBe(minted);
      const now = Date.now();
      const clock = jest.spyOn(Date, 'now').mockReturnValue(now + 301_000);
      try {
        const renewed = await tokens.token();
        expect(renewed).not.toBe(minted);
        expect(decodeJwt(renewed)).toMatchObject({ sub: 'service:escalations', roles: ['service'] });
        expect(decodeJwt(renewed).iat).toBe(decodeJwt(minted).iat! + 301);
      } finally {
        clock.mockRestore();
      }
    });
  });
});
