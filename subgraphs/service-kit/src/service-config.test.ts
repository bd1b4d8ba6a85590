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
});
