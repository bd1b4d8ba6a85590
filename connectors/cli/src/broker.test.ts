import { kafkaConfig } from './broker';
import { UsageError } from './output';

describe('broker options of mash-connect', () => {
  it('defaults to KAFKA_BROKERS, then the local broker, with no credentials', () => {
    expect(kafkaConfig({}, {})).toEqual(expect.objectContaining({ brokers: ['127.0.0.1:9092'] }));
    expect(kafkaConfig({}, {}).sasl).toBeUndefined();
    expect(kafkaConfig({}, { KAFKA_BROKERS: 'a:1, b:2' }).brokers).toEqual(['a:1', 'b:2']);
    expect(kafkaConfig({ brokers: 'c:3' }, { KAFKA_BROKERS: 'a:1' }).brokers).toEqual(['c:3']);
  });

  it('passes SASL/SCRAM-SHA-512 credentials to kafkajs when a username and password are given', () => {
    expect(kafkaConfig({ username: 'tvp-niche', password: 's3cret' }, {}).sasl).toEqual({
      mechanism: 'scram-sha-512',
      username: 'tvp-niche',
      password: 's3cret',
    });
    expect(
      kafkaConfig(
        {},
        { KAFKA_USERNAME: 'mk-lcs', KAFKA_PASSWORD: 'pw', KAFKA_SASL_MECHANISM: 'SCRAM-SHA-256' },
      ).sasl,
    ).toEqual({ mechanism: 'scram-sha-256', username: 'mk-lcs', password: 'pw' });
  });

  it('turns TLS on with --ssl or KAFKA_SSL=true', () => {
    expect(kafkaConfig({ ssl: true }, {}).ssl).toBe(true);
    expect(kafkaConfig({}, { KAFKA_SSL: 'true' }).ssl).toBe(true);
    expect(kafkaConfig({}, {}).ssl).toBeUndefined();
  });

  it('refuses half a credential or an unknown mechanism as a usage error', () => {
    expect(() => kafkaConfig({ username: 'x' }, {})).toThrow(UsageError);
    expect(() => kafkaConfig({ username: 'x', password: 'y', saslMechanism: 'gssapi' }, {})).toThrow(
      '--sasl-mechanism must be one of scram-sha-512, scram-sha-256, plain, not "gssapi"',
    );
  });
});
