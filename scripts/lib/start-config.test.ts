import { ConfigError } from '@mash/service-kit';
import { DEV_JWT_SECRET, loadStartConfig } from './start-config';

describe('the start command configuration', () => {
  it('needs nothing: embedded database, its own broker, the development secret, warn', () => {
    expect(loadStartConfig({})).toEqual({
      databaseUrl: undefined,
      kafkaBrokers: [],
      topicPrefix: '',
      jwt: {
        JWT_ALGORITHM: 'HS256',
        JWT_SECRET: DEV_JWT_SECRET,
        JWT_PUBLIC_KEY: undefined,
        JWT_ISSUER: 'mash-graph',
        JWT_AUDIENCE: 'mash-graph',
        SERVICE_TOKEN: undefined,
      },
      logLevel: 'warn',
    });
  });

  it('treats a variable set to the empty string as unset', () => {
    expect(loadStartConfig({ DATABASE_URL: '', KAFKA_BROKERS: '', JWT_SECRET: '', LOG_LEVEL: '' })).toEqual(
      loadStartConfig({}),
    );
  });

  it('takes what is set', () => {
    const config = loadStartConfig({
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/mash',
      KAFKA_BROKERS: '127.0.0.1:9092, 127.0.0.1:9094',
      TOPIC_PREFIX: 'dev.',
      JWT_SECRET: 'a-secret-of-at-least-thirty-two-characters',
      JWT_ISSUER: 'issuer',
      JWT_AUDIENCE: 'audience',
      LOG_LEVEL: 'info',
    });
    expect(config).toMatchObject({
      databaseUrl: 'postgres://postgres@127.0.0.1:5432/mash',
      kafkaBrokers: ['127.0.0.1:9092', '127.0.0.1:9094'],
      topicPrefix: 'dev.',
      jwt: {
        JWT_SECRET: 'a-secret-of-at-least-thirty-two-characters',
        JWT_ISSUER: 'issuer',
        JWT_AUDIENCE: 'audience',
      },
      logLevel: 'info',
    });
  });

  it('names every bad variable at once', () => {
    let caught: unknown;
    try {
      loadStartConfig({
        DATABASE_URL: 'mysql://localhost/mash',
        KAFKA_BROKERS: 'localhost',
        JWT_SECRET: 'short',
        LOG_LEVEL: 'loud',
      });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect((caught as ConfigError).problems.map((p) => p.split(':')[0]).sort()).toEqual([
      'DATABASE_URL',
      'JWT_SECRET',
      'KAFKA_BROKERS',
      'LOG_LEVEL',
    ]);
  });
});
