import { generateKeyPairSync } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { JwtVerifier, signDevToken } from './auth';
import type { JwtConfig } from './config';

const hs: JwtConfig = {
  JWT_ALGORITHM: 'HS256',
  JWT_SECRET: 'unit-test-secret-0123456789abcdefghij',
  JWT_PUBLIC_KEY: undefined,
  JWT_ISSUER: 'mash-graph',
  JWT_AUDIENCE: 'mash-graph',
  SERVICE_TOKEN: undefined,
};
const claims = { sub: 'contact-1', roles: ['mash-officer'], partnership: 'p-1', agency: 'a-1' };
const codeOf = async (fn: () => Promise<unknown>): Promise<unknown> => {
  try {
    await fn();
  } catch (err) {
    return (err as { extensions?: { code?: string } }).extensions?.code;
  }
  return undefined;
};

describe('JwtVerifier', () => {
  it('turns a valid HS256 token into the caller identity', async () => {
    const identity = await new JwtVerifier(hs).verify(signDevToken(hs, claims));
    expect(identity).toEqual({
      subject: 'contact-1',
      roles: ['mash-officer'],
      partnershipId: 'p-1',
      agencyId: 'a-1',
    });
  });

  it('drops roles it does not know rather than trusting them', async () => {
    const identity = await new JwtVerifier(hs).verify(
      signDevToken(hs, { sub: 'x', roles: ['mash-officer', 'superuser'] }),
    );
    expect(identity.roles).toEqual(['mash-officer']);
  });

  it('rejects a token signed with another secret, a wrong issuer or a wrong audience', async () => {
    const verifier = new JwtVerifier(hs);
    expect(
      await codeOf(() => verifier.verify(signDevToken({ ...hs, JWT_SECRET: 'x'.repeat(40) }, claims))),
    ).toBe('UNAUTHENTICATED');
    expect(
      await codeOf(() => verifier.verify(signDevToken({ ...hs, JWT_ISSUER: 'someone-else' }, claims))),
    ).toBe('UNAUTHENTICATED');
    expect(
      await codeOf(() => verifier.verify(signDevToken({ ...hs, JWT_AUDIENCE: 'another-api' }, claims))),
    ).toBe('UNAUTHENTICATED');
  });

  it('says an expired token has expired, once past the clock tolerance', async () => {
    expect(await codeOf(() => new JwtVerifier(hs).verify(signDevToken(hs, claims, -6)))).toBe(
      'TOKEN_EXPIRED',
    );
    // Expired three seconds ago: within the default five seconds of tolerance for clock skew.
    expect((await new JwtVerifier(hs).verify(signDevToken(hs, claims, -3))).subject).toBe('contact-1');
    const strict = new JwtVerifier({ ...hs, JWT_CLOCK_TOLERANCE_SECONDS: 0 });
    expect(await codeOf(() => strict.verify(signDevToken(hs, claims, -3)))).toBe('TOKEN_EXPIRED');
  });

  it('refuses a token before its not-before time, beyond the clock tolerance', async () => {
    const notBefore = (seconds: number) =>
      jwt.sign({ roles: ['mash-officer'] }, hs.JWT_SECRET!, {
        algorithm: 'HS256',
        subject: 'contact-1',
        issuer: hs.JWT_ISSUER,
        audience: hs.JWT_AUDIENCE,
        expiresIn: 600,
        notBefore: seconds,
      });
    const verifier = new JwtVerifier(hs);
    expect(await codeOf(() => verifier.verify(notBefore(60)))).toBe('UNAUTHENTICATED');
    expect((await verifier.verify(notBefore(3))).subject).toBe('contact-1');
    expect((await verifier.verify(notBefore(0))).subject).toBe('contact-1');
  });

  it('refuses a token whose lifetime (exp - iat) exceeds the configured maximum', async () => {
    const verifier = new JwtVerifier({ ...hs, JWT_MAX_TOKEN_LIFETIME_SECONDS: 3600 });
    expect((await verifier.verify(signDevToken(hs, claims, 3600))).subject).toBe('contact-1');
    expect(await codeOf(() => verifier.verify(signDevToken(hs, claims, 3601)))).toBe('UNAUTHENTICATED');
    // The default maximum is twelve hours: the demo token's lifetime.
    expect((await new JwtVerifier(hs).verify(signDevToken(hs, claims, 12 * 3600))).subject).toBe('contact-1');
    expect(await codeOf(() => new JwtVerifier(hs).verify(signDevToken(hs, claims, 12 * 3600 + 1)))).toBe(
      'UNAUTHENTICATED',
    );
  });

  it('refuses a token without an issue time, whose lifetime cannot be known', async () => {
    const token = jwt.sign({ roles: ['mash-officer'] }, hs.JWT_SECRET!, {
      algorithm: 'HS256',
      subject: 'x',
      issuer: hs.JWT_ISSUER,
      audience: hs.JWT_AUDIENCE,
      expiresIn: 60,
      noTimestamp: true,
    });
    expect(await codeOf(() => new JwtVerifier(hs).verify(token))).toBe('UNAUTHENTICATED');
  });

  it('refuses a token without an expiry', async () => {
    const token = jwt.sign({ roles: ['mash-officer'] }, hs.JWT_SECRET!, {
      algorithm: 'HS256',
      subject: 'x',
      issuer: hs.JWT_ISSUER,
      audience: hs.JWT_AUDIENCE,
    });
    expect(await codeOf(() => new JwtVerifier(hs).verify(token))).toBe('UNAUTHENTICATED');
  });

  it('refuses an unsigned token (alg none)', async () => {
    const token = jwt.sign({ roles: ['mash-officer'] }, '', {
      algorithm: 'none',
      subject: 'x',
      issuer: hs.JWT_ISSUER,
      audience: hs.JWT_AUDIENCE,
      expiresIn: 60,
    });
    expect(await codeOf(() => new JwtVerifier(hs).verify(token))).toBe('UNAUTHENTICATED');
  });

  it.each([
    ['RS256', () => generateKeyPairSync('rsa', { modulusLength: 2048 })] as const,
    ['ES256', () => generateKeyPairSync('ec', { namedCurve: 'P-256' })] as const,
  ])('verifies %s tokens against a PEM public key and pins the algorithm', async (alg, makeKeys) => {
    const { privateKey, publicKey } = makeKeys();
    const config: JwtConfig = {
      ...hs,
      JWT_ALGORITHM: alg,
      JWT_SECRET: undefined,
      JWT_PUBLIC_KEY: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    };
    const sign = (algorithm: jwt.Algorithm, key: jwt.Secret) =>
      jwt.sign({ roles: ['practitioner'] }, key, {
        algorithm,
        subject: 'c-9',
        issuer: hs.JWT_ISSUER,
        audience: hs.JWT_AUDIENCE,
        expiresIn: 60,
      });
    const verifier = new JwtVerifier(config);
    expect((await verifier.verify(sign(alg, privateKey))).subject).toBe('c-9');
    // An HS256 token "signed" with the public key (the classic confusion attack) is refused.
    expect(await codeOf(() => verifier.verify(sign('HS256', config.JWT_PUBLIC_KEY!)))).toBe(
      'UNAUTHENTICATED',
    );
  });

  it('asks for a bearer token when the header is missing or malformed', async () => {
    const verifier = new JwtVerifier(hs);
    expect(await codeOf(() => verifier.verifyHeader(undefined))).toBe('UNAUTHENTICATED');
    expect(await codeOf(() => verifier.verifyHeader('Basic dXNlcjpwYXNz'))).toBe('UNAUTHENTICATED');
  });

  it('answers a token it has verified from its cache, and says it has expired once its expiry passes', async () => {
    const verifier = new JwtVerifier(hs);
    const token = signDevToken(hs, claims, 60);
    const first = await verifier.verify(token);
    expect(await verifier.verify(token)).toBe(first);
    const now = Date.now();
    // Past the expiry and the clock tolerance.
    const clock = jest.spyOn(Date, 'now').mockReturnValue(now + 61_000 + 5_000);
    try {
      expect(await codeOf(() => verifier.verify(token))).toBe('TOKEN_EXPIRED');
    } finally {
      clock.mockRestore();
    }
  });

  it('never caches a refusal: a forged token stays refused and a good one is still accepted', async () => {
    const verifier = new JwtVerifier(hs);
    const forged = signDevToken({ ...hs, JWT_SECRET: 'another-secret-0123456789abcdefghijkl' }, claims);
    expect(await codeOf(() => verifier.verify(forged))).toBe('UNAUTHENTICATED');
    expect(await codeOf(() => verifier.verify(forged))).toBe('UNAUTHENTICATED');
    expect((await verifier.verify(signDevToken(hs, claims))).subject).toBe('contact-1');
  });
});
