import { DEMO_JWT_SECRET } from './config';
import { loadServiceConfig } from './service-config';

describe('loadServiceConfig', () => {
  it('reads a complete environment into a typed configuration', () => {
    const config = loadServiceConfig(4003, {
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/mash',
      KAFKA_BROKERS: 'a:9092, b:9092',
      JWT_SECRET: 's'.repeat(32),
      TOPIC_PREFIX: 'demo.',
    });
    expect(config).toMatchObject({
      port: 4003,
      host: '127.0.0.1',
      kafkaBrokers: ['a:9092', 'b:9092'],
      topicPrefix: 'demo.',
      jwt: { JWT_ALGORITHM: 'HS256', JWT_ISSUER: 'mash-graph' },
    });
  });

  it('names every bad variable at once, not just the first', () => {
    expect(() => loadServiceConfig(4003, { PORT: 'not-a-port', JWT_SECRET: 'short' })).toThrow(
      /DATABASE_URL[\s\S]*PORT|PORT[\s\S]*DATABASE_URL/,
    );
    try {
      loadServiceConfig(4003, { PORT: 'not-a-port', JWT_SECRET: 'short' });
    } catch (err) {
      const message = (err as Error).message;
      expect(message).toMatch(/DATABASE_URL/);
      expect(message).toMatch(/PORT/);
      expect(message).toMatch(/JWT_SECRET/);
    }
  });

  it('asks for a public key when an asymmetric algorithm is chosen', () => {
    expect(() =>
      loadServiceConfig(4003, { DATABASE_URL: 'postgres://x@y/z', JWT_ALGORITHM: 'RS256' }),
    ).toThrow(/JWT_PUBLIC_KEY/);
  });

  it('reads the identity provider settings: JWKS URL, clock tolerance and maximum token lifetime', () => {
    const config = loadServiceConfig(4003, {
      DATABASE_URL: 'postgres://x@y/z',
      JWT_ALGORITHM: 'ES256',
      JWT_JWKS_URL: 'https://idp.example/realms/mash/protocol/openid-connect/certs',
      JWT_CLOCK_TOLERANCE_SECONDS: '10',
      JWT_MAX_TOKEN_LIFETIME_SECONDS: '3600',
    });
    expect(config.jwt).toMatchObject({
      JWT_ALGORITHM: 'ES256',
      JWT_JWKS_URL: 'https://idp.example/realms/mash/protocol/openid-connect/certs',
      JWT_JWKS_COOLDOWN_SECONDS: 30,
      JWT_CLOCK_TOLERANCE_SECONDS: 10,
      JWT_MAX_TOKEN_LIFETIME_SECONDS: 3600,
    });
  });

  it('refuses the public development secret and the default database password with a clear message', () => {
    const attempt = () =>
      loadServiceConfig(4003, {
        DATABASE_URL: 'postgres://postgres:postgres@db:5432/mash',
        JWT_SECRET: DEMO_JWT_SECRET,
      });
    expect(attempt).toThrow(/JWT_SECRET: is the public development secret from this repository/);
    expect(attempt).toThrow(/DATABASE_URL: uses the default password "postgres"/);
    expect(() =>
      loadServiceConfig(4003, {
        DATABASE_URL: 'postgres://postgres@db:5432/mash',
        JWT_SECRET: 'change-me-local-development-secret-0123456789',
      }),
    ).toThrow(/JWT_SECRET: is the public development secret/);
    expect(
      loadServiceConfig(4003, {
        DATABASE_URL: 'postgres://mash:a-real-one@db/mash',
        JWT_SECRET: 's'.repeat(32),
      }).databaseUrl,
    ).toBe('postgres://mash:a-real-one@db/mash');
  });

  it('asks for client credentials with a token URL', () => {
    expect(() =>
      loadServiceConfig(4003, {
        DATABASE_URL: 'postgres://x@y/z',
        JWT_SECRET: 's'.repeat(32),
        SERVICE_TOKEN_URL: 'https://idp.example/token',
      }),
    ).toThrow(/SERVICE_TOKEN_URL needs SERVICE_CLIENT_ID and SERVICE_CLIENT_SECRET/);
  });

  it('reads the Kafka principal, and asks for the username and password together', () => {
    const base = { DATABASE_URL: 'postgres://x@y/z', JWT_SECRET: 's'.repeat(32) };
    expect(loadServiceConfig(4003, base).kafkaAuth).toBeUndefined();
    expect(
      loadServiceConfig(4003, { ...base, KAFKA_USERNAME: 'platform', KAFKA_PASSWORD: 'pw' }).kafkaAuth,
    ).toEqual({ username: 'platform', password: 'pw' });
    expect(() => loadServiceConfig(4003, { ...base, KAFKA_USERNAME: 'platform' })).toThrow(
      /KAFKA_PASSWORD: KAFKA_USERNAME and KAFKA_PASSWORD go together/,
    );
  });

  it('compresses record batches with Snappy unless KAFKA_COMPRESSION says otherwise, and names a bad choice', () => {
    const base = { DATABASE_URL: 'postgres://x@y/z', JWT_SECRET: 's'.repeat(32) };
    expect(loadServiceConfig(4003, base).kafkaCompression).toBe('snappy');
    expect(loadServiceConfig(4003, { ...base, KAFKA_COMPRESSION: 'lz4' }).kafkaCompression).toBe('lz4');
    expect(loadServiceConfig(4003, { ...base, KAFKA_COMPRESSION: 'none' }).kafkaCompression).toBe('none');
    expect(() => loadServiceConfig(4003, { ...base, KAFKA_COMPRESSION: 'zstd' })).toThrow(
      /KAFKA_COMPRESSION/,
    );
  });
});
