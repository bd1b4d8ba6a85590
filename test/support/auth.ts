import { signDevToken, type JwtConfig } from '@mash/service-kit';
import type { IdentityClaims } from '@mash/schema';

/** The JWT settings services under test are started with: HS256 with a test secret, the real issuer and audience. */
export const testJwt: JwtConfig = {
  JWT_ALGORITHM: 'HS256',
  JWT_SECRET: 'mash-graph-integration-test-secret-0123456789',
  JWT_ISSUER: 'mash-graph',
  JWT_AUDIENCE: 'mash-graph',
};

/** A bearer token that services configured with `testJwt` accept; a negative expiry gives an expired one. */
export function testToken(claims: IdentityClaims, expiresInSeconds = 600): string {
  return signDevToken(testJwt, claims, expiresInSeconds);
}
