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
const codeOf = (fn: () => unknown): unknown => {
  try {
    fn();
  } catch (err) {
    return (err as { extensions?: { code?: string } }).extensions?.code;
  }
  return undefined;
};

describe('JwtVerifier', () => {
  it('turns a valid HS256 token into the caller identity', () => {
    const identity = new JwtVerifier(hs).verify(signDevToken(hs, claims));
    expect(identity).toEqual({
      subject: 'contact-1',
      roles: ['mash-officer'],
      partnershipId: 'p-1',
      agencyId: 'a-1',
    });
  });

  it('drops roles it does not know rather than trusting them', () => {
    const identity = new JwtVerifier(hs).verify(
      signDevToken(hs, { sub: 'x', roles: ['mash-officer', 'superuser'] }),
    );
    expect(identity.roles).toEqual(['mash-officer']);
  });

  it('rejects a token signed with another secret, a wrong issuer or a wrong audience', () => {
    const verifier = new JwtVerifier(hs);
    expect(codeOf(() => verifier.verify(signDevToken({ ...hs, JWT_SECRET: 'x'.repeat(40) }, claims)))).toBe(
      'UNAUTHENTICATED',
    );
    expect(codeOf(() => verifier.verify(signDevToken({ ...hs, JWT_ISSUER: 'someone-else' }, claims)))).toBe(
      'UNAUTHENTICATED',
    );
    expect(codeOf(() => verifier.verify(signDevToken({ ...hs, JWT_AUDIENCE: 'another-api' }, claims)))).toBe(
      'UNAUTHENTICATED',
    );
  });

  it('says an expired token has expired', () => {
    expect(codeOf(() => new JwtVerifier(hs).verify(signDevToken(hs, claims, -5)))).toBe('TOKEN_EXPIRED');
  });

  it('refuses a token without an expiry', () => {
    const token = jwt.sign({ roles: ['mash-officer'] }, hs.JWT_SECRET!, {
      algorithm: 'HS256',
      subject: 'x',
      issuer: hs.JWT_ISSUER,
      audience: hs.JWT_AUDIENCE,
    });
    expect(codeOf(() => new JwtVerifier(hs).verify(token))).toBe('UNAUTHENTICATED');
  });

  it('refuses an unsigned token (alg none)', () => {
    const token = jwt.sign({ roles: ['mash-officer'] }, '', {
      algorithm: 'none',
      subject: 'x',
      issuer: hs.JWT_ISSUER,
      audience: hs.JWT_AUDIENCE,
      expiresIn: 60,
    });
    expect(codeOf(() => new JwtVerifier(hs).verify(token))).toBe('UNAUTHENTICATED');
  });

  it.each([
    ['RS256', () => generateKeyPairSync('rsa', { modulusLength: 2048 })] as const,
    ['ES256', () => generateKeyPairSync('ec', { namedCurve: 'P-256' })] as const,
  ])('verifies %s tokens against a PEM public key and pins the algorithm', (alg, makeKeys) => {
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
    expect(verifier.verify(sign(alg, privateKey)).subject).toBe('c-9');
    // An HS256 token "signed" with the public key (the classic confusion attack) is refused.
    expect(codeOf(() => verifier.verify(sign('HS256', config.JWT_PUBLIC_KEY!)))).toBe('UNAUTHENTICATED');
  });

  it('asks for a bearer token when the header is missing or malformed', () => {
    const verifier = new JwtVerifier(hs);
    expect(codeOf(() => verifier.verifyHeader(undefined))).toBe('UNAUTHENTICATED');
    expect(codeOf(() => verifier.verifyHeader('Basic dXNlcjpwYXNz'))).toBe('UNAUTHENTICATED');
  });

  it('answers a token it has verified from its cache, and says it has expired once its expiry passes', () => {
    const verifier = new JwtVerifier(hs);
    const token = signDevToken(hs, claims, 60);
    const first = verifier.verify(token);
    expect(verifier.verify(token)).toBe(first);
    const now = Date.now();
    const clock = jest.spyOn(Date, 'now').mockReturnValue(now + 61_000);
    try {
      expect(codeOf(() => verifier.verify(token))).toBe('TOKEN_EXPIRED');
    } finally {
      clock.mockRestore();
    }
  });

  it('never caches a refusal: a forged token stays refused and a good one is still accepted', () => {
    const verifier = new JwtVerifier(hs);
    const forged = signDevToken({ ...hs, JWT_SECRET: 'another-secret-0123456789abcdefghijkl' }, claims);
    expect(codeOf(() => verifier.verify(forged))).toBe('UNAUTHENTICATED');
    expect(codeOf(() => verifier.verify(forged))).toBe('UNAUTHENTICATED');
    expect(verifier.verify(signDevToken(hs, claims)).subject).toBe('contact-1');
  });
});
