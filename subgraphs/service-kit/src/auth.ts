import { createPublicKey, createSecretKey, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { LRUCache } from 'lru-cache';
import { ROLES, type Identity, type IdentityClaims, type Role } from '@mash/schema';
import { TokenExpiredError, UnauthenticatedError } from './errors';
import type { JwtConfig } from './config';

/**
 * Verifies bearer tokens: algorithm pinned, signature, issuer, audience and expiry checked. Used by the gateway
 * and again by every subgraph, which receive the caller's original token.
 */
export class JwtVerifier {
  /** Prepared once: jsonwebtoken would otherwise rebuild the key object from the secret or PEM on every call. */
  private readonly key: KeyObject;
  /**
   * Tokens already verified, with the identity they carry, until their expiry: a dashboard sends the same token
   * with every request, and the gateway and each subgraph verify it. Bounded, so a flood of distinct tokens
   * cannot grow memory.
   */
  private readonly verified = new LRUCache<string, { identity: Identity; expiresAtMs: number }>({
    max: 10_000,
  });

  constructor(private readonly config: JwtConfig) {
    const key = config.JWT_ALGORITHM === 'HS256' ? config.JWT_SECRET : config.JWT_PUBLIC_KEY;
    if (!key) throw new Error(`no verification key for ${config.JWT_ALGORITHM}`);
    this.key =
      config.JWT_ALGORITHM === 'HS256' ? createSecretKey(Buffer.from(key, 'utf8')) : createPublicKey(key);
  }

  verify(token: string): Identity {
    const hit = this.verified.get(token);
    if (hit) {
      if (hit.expiresAtMs > Date.now()) return hit.identity;
      this.verified.delete(token);
      throw new TokenExpiredError();
    }
    let claims: jwt.JwtPayload;
    try {
      const decoded = jwt.verify(token, this.key, {
        algorithms: [this.config.JWT_ALGORITHM],
        issuer: this.config.JWT_ISSUER,
        audience: this.config.JWT_AUDIENCE,
      });
      if (typeof decoded === 'string') throw new UnauthenticatedError('The token has no claims.');
      claims = decoded;
    } catch (err) {
      if (err instanceof jwt.TokenExpiredError) throw new TokenExpiredError();
      if (err instanceof UnauthenticatedError) throw err;
      // A fixed message: jsonwebtoken's own would tell a caller which issuer or audience is expected.
      throw new UnauthenticatedError('The bearer token failed verification.');
    }
    if (typeof claims.exp !== 'number') throw new UnauthenticatedError('The token has no expiry.');
    const identity = identityFromClaims(claims);
    // Not cached while not yet valid (nbf): jsonwebtoken refuses those above, so only usable tokens get here.
    this.verified.set(token, { identity, expiresAtMs: claims.exp * 1000 });
    return identity;
  }

  /** Reads `Authorization: Bearer <token>`; throws a coded error when it is missing or bad. */
  verifyHeader(header: string | undefined): Identity {
    const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
    if (!match?.[1]) throw new UnauthenticatedError();
    return this.verify(match[1]);
  }
}

function identityFromClaims(claims: jwt.JwtPayload): Identity {
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

/** The bearer token a service presents to other services: SERVICE_TOKEN, or one minted from the HS256 secret. */
export function serviceTokenProvider(config: JwtConfig, serviceName: string): () => string {
  if (!config.SERVICE_TOKEN && !config.JWT_SECRET) {
    // Fail at start-up, not at the first event (which would retry for ever).
    throw new Error(
      `${serviceName} needs SERVICE_TOKEN: it cannot mint its own token with ${config.JWT_ALGORITHM}`,
    );
  }
  if (config.SERVICE_TOKEN) {
    const token = config.SERVICE_TOKEN;
    return () => token;
  }
  let cached: { token: string; until: number } | undefined;
  return () => {
    const now = Date.now();
    if (!cached || cached.until < now) {
      cached = {
        token: signDevToken(config, { sub: `service:${serviceName}`, roles: ['service'] }, 600),
        until: now + 300_000,
      };
    }
    return cached.token;
  };
}
