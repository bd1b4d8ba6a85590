import type { ServiceConfig } from '@mash/service-kit';
import { testJwt } from './auth';
import { testBrokers, testKafkaAuth } from './kafka';

/**
 * The configuration of a service under test: a free port on loopback, `testJwt`, the test broker when KAFKA_BROKERS
 * names one (none otherwise), no topic prefix and an agencies URL nothing answers on, unless `overrides` says
 * otherwise.
 */
export function testServiceConfig(
  overrides: Partial<ServiceConfig> & { databaseUrl: string },
): ServiceConfig {
  return {
    host: '127.0.0.1',
    port: 0,
    jwt: testJwt,
    kafkaBrokers: (process.env['KAFKA_BROKERS'] ?? '').trim() === '' ? [] : testBrokers(),
    topicPrefix: '',
    agenciesUrl: 'http://127.0.0.1:9/graphql',
    ...((process.env['KAFKA_BROKERS'] ?? '').trim() !== '' &&
      testKafkaAuth() && { kafkaAuth: testKafkaAuth() }),
    ...overrides,
  };
}
