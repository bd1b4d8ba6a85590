import { randomBytes } from 'node:crypto';

/** A prefix for this test's topics and consumer groups (`t1a2b3c4.`), so tests never see each other's messages. */
export function uniquePrefix(): string {
  return `t${randomBytes(4).toString('hex')}.`;
}

/** The test broker's bootstrap addresses, from `KAFKA_BROKERS` (set by the integration global setup). */
export function testBrokers(): string[] {
  const brokers = (process.env['KAFKA_BROKERS'] ?? '')
    .split(',')
    .map((b) => b.trim())
    .filter((b) => b.length > 0);
  if (brokers.length === 0) {
    throw new Error(
      'KAFKA_BROKERS is not set: run integration tests through jest --selectProjects integration',
    );
  }
  return brokers;
}
