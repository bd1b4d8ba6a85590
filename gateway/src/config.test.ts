import { loadGatewayConfig } from './config';

const base = { JWT_SECRET: 's'.repeat(32) };

describe("the gateway's live consumer settings", () => {
  it('leaves subscriptions off without KAFKA_BROKERS', () => {
    expect(loadGatewayConfig(base).kafka).toBeUndefined();
  });

  it('reads the broker, the topic prefix and the live consumer’s own principal', () => {
    expect(
      loadGatewayConfig({
        ...base,
        KAFKA_BROKERS: 'kafka:9092',
        TOPIC_PREFIX: 'demo.',
        KAFKA_USERNAME: 'mash-gateway',
        KAFKA_PASSWORD: 'pw',
      }).kafka,
    ).toEqual({
      kafkaBrokers: ['kafka:9092'],
      topicPrefix: 'demo.',
      kafkaAuth: { username: 'mash-gateway', password: 'pw' },
    });
  });

  it('refuses a user name without its password', () => {
    expect(() =>
      loadGatewayConfig({ ...base, KAFKA_BROKERS: 'kafka:9092', KAFKA_USERNAME: 'mash-gateway' }),
    ).toThrow(/KAFKA_PASSWORD: KAFKA_USERNAME and KAFKA_PASSWORD go together/);
  });
});
