import { createPublicKey, createSecretKey, type KeyObject } from 'node:crypto';
import { createRemoteJWKSet, decodeJwt, errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';
import jwt from 'jsonwebtoken';
import { LRUCache } from 'lru-cache';
import { ROLES, type Identity, type IdentityClaims, type Role } from '@mash/schema';
import { IdentityProviderUnavailableError, TokenExpiredError, UnauthenticatedError } from './errors';
import { JWT_DEFAULTS, type JwtConfig } from './config';

type VerificationKey = KeyObject | ReturnType<typeof createRemoteJWKSet>;

/**
 * Verifies bearer tokens (jose): algorithm pinned, signature, issuer, audience, expiry, not-before and issue time
 * checked with a configured clock tolerance, and a token living longer than the configured maximum (`exp - iat`)
 * refused. Keys are an HS256 secret, a PEM public key, or an OpenID Connect provider's JWKS (`JWT_JWKS_URL`): the
 * key is picked by the token's `kid`, the set is cached and fetched again when an unknown `kid` arrives (a
 * rotation), at most once per cool-down. Used by the gateway and again by every subgraph, which receive the
 * caller's original token.
 */
export class JwtVerifier {
  /** Prepared once: a secret or PEM is not parsed again on every call; a JWKS is fetched and cached by jose. */
  private readonly key: VerificationKey;
  private readonly toleranceSeconds: number;
  private readonly maxLifetimeSeconds: number;
  /**
   * Tokens already verified, with the identity they carry, until their expiry: a dashboard sends the same token
   * with every request, and the gateway and each subgraph verify it. Bounded, so a flood of distinct tokens
   * cannot grow memory.
   */
  private readonly verified = new LRUCache<string, { identity: Identity; expiresAtMs: number }>({
    max: 10_000,
  });

  constructor(private readonly config: JwtConfig) {
    this.toleranceSeconds = config.JWT_CLOCK_TOLERANCE_SECONDS ?? JWT_DEFAULTS.JWT_CLOCK_TOLERANCE_SECONDS;
    this.maxLifetimeSeconds =
      config.JWT_MAX_TOKEN_LIFETIME_SECONDS ?? JWT_DEFAULTS.JWT_MAX_TOKEN_LIFETIME_SECONDS;
    if (config.JWT_ALGORITHM === 'HS256') {
      if (!config.JWT_SECRET) throw new Error('no verification key for HS256 (JWT_SECRET)');
      this.key = createSecretKey(Buffer.from(config.JWT_SECRET, 'utf8'));
    } else if (config.JWT_JWKS_URL) {
      this.key = createRemoteJWKSet(new URL(config.JWT_JWKS_URL), {
        cooldownDuration: (config.JWT_JWKS_COOLDOWN_SECONDS ?? JWT_DEFAULTS.JWT_JWKS_COOLDOWN_SECONDS) * 1000,
        cacheMaxAge: (config.JWT_JWKS_MAX_AGE_SECONDS ?? JWT_DEFAULTS.JWT_JWKS_MAX_AGE_SECONDS) * 1000,
        timeoutDuration: 5000,
      });
    } else if (config.JWT_PUBLIC_KEY) {
      this.key = createPublicKey(config.JWT_PUBLIC_KEY);
    } else {
      throw new Error(`no verification key for ${config.JWT_ALGORITHM} (JWT_JWKS_URL or JWT_PUBLIC_KEY)`);
    }
  }

  async verify(token: string): Promise<Identity> {
    const hit = this.verified.get(token);
    if (hit) {
      if (hit.expiresAtMs > Date.now()) return hit.identity;
      this.verified.delete(token);
      throw new TokenExpiredError();
    }
    let claims: JWTPayload;
    try {
      const options = {
        algorithms: [this.config.JWT_ALGORITHM],
        issuer: this.config.JWT_ISSUER,
        audience: this.config.JWT_AUDIENCE,
        clockTolerance: this.toleranceSeconds,
        // Also makes `iat` required, and refuses one in the future.
        maxTokenAge: this.maxLifetimeSeconds,
        requiredClaims: ['exp', 'iat'],
      };
      const result =
        typeof this.key === 'function'
          ? await jwtVerify(token, this.key, options)
          : await jwtVerify(token, this.key, options);
      claims = result.payload;
    } catch (err) {
      if (err instanceof joseErrors.JWTExpired && err.claim === 'exp') throw new TokenExpiredError();
      // The provider did not answer, or answered no key set: the token is not known to be bad. Retriable.
      if (
        typeof this.key === 'function' &&
        (err instanceof joseErrors.JWKSTimeout ||
          err instanceof joseErrors.JWKSInvalid ||
          !(err instanceof joseErrors.JOSEError))
      ) {
        throw new IdentityProviderUnavailableError();
      }
      // A fixed message: the library's own would tell a caller which issuer or audience is expected.
      throw new UnauthenticatedError('The bearer token failed verification.');
    }
    const { exp, iat } = claims as { exp: number; iat: number };
    if (exp - iat > this.maxLifetimeSeconds) {
      throw new UnauthenticatedError('The bearer token lives longer than this service accepts.');
    }
    const identity = identityFromClaims(claims);
    // Not cached while not yet valid (nbf): those are refused above, so only usable tokens get here.
    this.verified.set(token, { identity, expiresAtMs: (exp + this.toleranceSeconds) * 1000 });
    return identity;
  }

  /** Reads `Authorization: Bearer <token>`; rejects with a coded error when it is missing or bad. */
  async verifyHeader(header: string | undefined): Promise<Identity> {
    const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
    if (!match?.[1]) throw new UnauthenticatedError();
    return this.verify(match[1]);
  }
}

function identityFromClaims(claims: JWTPayload): Identity {
  if (typeof claims.sub !== 'string' || !claims.sub)
    throw new UnauthenticatedError('The token has no subject.');
  const rawRoles: unknown = claims['roles'];
  if (!Array.isArray(rawRoles)) throw new UnauthenticatedError('The token has no roles claim.');
  const roles = rawRoles.filter(
    (r): r is Role => typeof r === 'string' && (ROLES as readonly string[]).includes(r),
  );
  const str = (k: string): string | undefined =>
    typeof claims[k] === 'string' ? (claims[k] as string) : undefined;
  return {
    subject: claims.sub,
    roles,
    ...(str('name') !== undefined && { name: str('name') }),
    ...(str('agency') !== undefined && { agencyId: str('agency') }),
    ...(str('partnership') !== undefined && { partnershipId: str('partnership') }),
  };
}

/** Signs an HS256 token: for local use, demo tokens and tests. Production tokens come from the identity provider. */
export function signDevToken(
  config: Pick<JwtConfig, 'JWT_SECRET' | 'JWT_ISSUER' | 'JWT_AUDIENCE'>,
  claims: IdentityClaims,
  expiresInSeconds = 3600,
): string {
  if (!config.JWT_SECRET) throw new Error('signDevToken needs JWT_SECRET');
  const { sub, ...rest } = claims;
  return jwt.sign({ ...rest }, config.JWT_SECRET, {
    algorithm: 'HS256',
    subject: sub,
    issuer: config.JWT_ISSUER,
    audience: config.JWT_AUDIENCE,
    expiresIn: expiresInSeconds,
  });
}

/** The bearer token a service presents to other services, renewed before it expires. */
export interface ServiceTokenSource {
  /** A token valid now (renewed first when it is about to expire). */
  token(): Promise<string>;
  /** A fresh token, after another service answered that the current one has expired or is refused. */
  renew(): Promise<string>;
}

/** Renew a token once this share of its lifetime has passed. */
const RENEW_AT = 0.5;

/** A token that is fetched or minted, cached, and replaced before it expires. */
class RenewingToken implements ServiceTokenSource {
  private current: { token: string; renewAtMs: number } | undefined;
  private pending: Promise<string> | undefined;

  constructor(private readonly obtain: () => Promise<{ token: string; lifetimeSeconds: number }>) {}

  token(): Promise<string> {
    if (this.current && this.current.renewAtMs > Date.now()) return Promise.resolve(this.current.token);
    return this.renew();
  }

  renew(): Promise<string> {
    this.pending ??= this.obtain()
      .then(({ token, lifetimeSeconds }) => {
        this.current = { token, renewAtMs: Date.now() + lifetimeSeconds * 1000 * RENEW_AT };
        return token;
      })
      .finally(() => {
        this.pending = undefined;
      });
    return this.pending;
  }
}

/** Thrown when a service's fixed SERVICE_TOKEN has expired: nothing can renew it, so retrying is pointless. */
export class ServiceTokenExpiredError extends Error {
  readonly retriable = false;
  constructor(serviceName: string) {
    super(
      `${serviceName}: SERVICE_TOKEN has expired and cannot be renewed; set SERVICE_TOKEN_URL, ` +
        'SERVICE_CLIENT_ID and SERVICE_CLIENT_SECRET so the service fetches and renews its own',
    );
    this.name = 'ServiceTokenExpiredError';
  }
}

/**
 * The token a service presents to other services, in order of preference: fetched from the identity provider
 * with OAuth 2.0 client credentials (`SERVICE_TOKEN_URL`) and renewed before it expires; minted from the HS256
 * secret and renewed likewise; or a fixed `SERVICE_TOKEN`, refused at start-up once expired and never retried
 * after it expires. Service tokens carry the `service` role, which reads reference data and no personal data.
 */
export function serviceTokenProvider(config: JwtConfig, serviceName: string): ServiceTokenSource {
  if (config.SERVICE_TOKEN_URL && config.SERVICE_CLIENT_ID && config.SERVICE_CLIENT_SECRET) {
    const url = config.SERVICE_TOKEN_URL;
    const clientId = config.SERVICE_CLIENT_ID;
    const clientSecret = config.SERVICE_CLIENT_SECRET;
    return new RenewingToken(() =>
      fetchClientCredentialsToken(url, clientId, clientSecret, config.JWT_AUDIENCE),
    );
  }
  if (config.SERVICE_TOKEN) {
    const token = config.SERVICE_TOKEN;
    const exp = expiryOf(token);
    if (exp !== undefined && exp * 1000 <= Date.now()) throw new ServiceTokenExpiredError(serviceName);
    const fixed = (): Promise<string> =>
      exp !== undefined && exp * 1000 <= Date.now()
        ? Promise.reject(new ServiceTokenExpiredError(serviceName))
        : Promise.resolve(token);
    return { token: fixed, renew: fixed };
  }
  if (config.JWT_SECRET) {
    const lifetimeSeconds = 600;
    return new RenewingToken(() =>
      Promise.resolve({
        token: signDevToken(config, { sub: `service:${serviceName}`, roles: ['service'] }, lifetimeSeconds),
        lifetimeSeconds,
      }),
    );
  }
  // Fail at start-up, not at the first event.
  throw new Error(
    `${serviceName} needs SERVICE_TOKEN_URL (with SERVICE_CLIENT_ID and SERVICE_CLIENT_SECRET) or SERVICE_TOKEN: ` +
      `it cannot mint its own token with ${config.JWT_ALGORITHM}`,
  );
}

function expiryOf(token: string): number | undefined {
  try {
    const { exp } = decodeJwt(token);
    return typeof exp === 'number' ? exp : undefined;
  } catch {
    return undefined;
  }
}

/** OAuth 2.0 client credentials grant (RFC 6749 §4.4), client authenticated with HTTP Basic. */
async function fetchClientCredentialsToken(
  url: string,
  clientId: string,
  clientSecret: string,
  audience: string,
): Promise<{ token: string; lifetimeSeconds: number }> {
  const basic = Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString(
    'base64',
  );
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${basic}` },
    body: new URLSearchParams({ grant_type: 'client_credentials', audience }).toString(),
    signal: AbortSignal.timeout(5000),
  });
  const body = (await response.json().catch(() => undefined)) as
    { access_token?: unknown; expires_in?: unknown } | undefined;
  if (!response.ok || typeof body?.access_token !== 'string') {
    // The answer may hold the reason; it never holds the secret, but keep the log plain anyway.
    throw new Error(`the identity provider at ${url} issued no service token (HTTP ${response.status})`);
  }
  const exp = expiryOf(body.access_token);
  const lifetimeSeconds =
    typeof body.expires_in === 'number'
      ? body.expires_in
      : exp !== undefined
        ? exp - Math.floor(Date.now() / 1000)
        : 300;
  return { token: body.access_token, lifetimeSeconds };
}
