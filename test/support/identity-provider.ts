import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';

// A real OpenID Connect provider's surface on loopback, for tests: a node:http server serving a JWKS generated
// here (keys rotated by the test) and an OAuth 2.0 token endpoint issuing client-credentials tokens.

export interface SigningKey {
  readonly kid: string;
  readonly alg: 'RS256' | 'ES256';
  readonly privateKey: CryptoKey;
  readonly jwk: JWK;
}

export async function signingKey(kid: string, alg: 'RS256' | 'ES256'): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  return { kid, alg, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' } };
}

export class IdentityProvider {
  published: SigningKey[] = [];
  jwksFetches = 0;
  tokenRequests: string[] = [];
  issueLifetimeSeconds = 60;
  /** The one client the token endpoint knows, and the subject of the tokens it issues. */
  clientId = 'connector';
  clientSecret = 's3cret-client';
  private server: Server | undefined;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      if (req.url === '/jwks') {
        this.jwksFetches++;
        res.writeHead(200, { 'content-type': 'application/jwk-set+json' });
        res.end(JSON.stringify({ keys: this.published.map((k) => k.jwk) }));
        return;
      }
      if (req.url === '/token' && req.method === 'POST') {
        let body = '';
        req.on('data', (c: Buffer) => (body += c.toString()));
        req.on('end', () => {
          const basic = Buffer.from(`${this.clientId}:${this.clientSecret}`).toString('base64');
          if (req.headers.authorization !== `Basic ${basic}`) {
            res.writeHead(401, { 'content-type': 'application/json' });
            res.end(JSON.stringify({ error: 'invalid_client' }));
            return;
          }
          this.tokenRequests.push(body);
          const key = this.published[0]!;
          void sign(
            key,
            { sub: `service:${this.clientId}`, roles: ['service'] },
            this.issueLifetimeSeconds,
          ).then((token) => {
            res.writeHead(200, { 'content-type': 'application/json' });
            res.end(
              JSON.stringify({
                access_token: token,
                token_type: 'Bearer',
                expires_in: this.issueLifetimeSeconds,
              }),
            );
          });
        });
        return;
      }
      res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}

export const ISSUER = 'https://idp.example.test/realms/mash';
export const AUDIENCE = 'mash-graph';

export function sign(
  key: SigningKey,
  claims: Record<string, unknown> & { sub: string },
  lifetimeSeconds = 300,
  header: Record<string, unknown> = {},
): Promise<string> {
  const { sub, ...rest } = claims;
  return new SignJWT(rest)
    .setProtectedHeader({ alg: key.alg, kid: key.kid, ...header })
    .setSubject(sub)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(`${lifetimeSeconds}s`)
    .sign(key.privateKey);
}
