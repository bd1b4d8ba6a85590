import { Client } from 'pg';
import { DEMO_SOURCE_SYSTEMS } from '../../scripts/lib/demo-source-systems';
import { PRINCIPALS_ENV } from './kafka';
import { testDatabaseUrl } from './postgres-url';
import { startTestBroker, type TestBroker } from './test-broker';

/** What global-teardown.ts needs from this process (jest runs both in the same one). */
export interface IntegrationGlobals {
  kafka?: TestBroker;
}

export const GLOBALS_KEY = '__mashIntegration';

export function integrationGlobals(): IntegrationGlobals {
  const g = globalThis as typeof globalThis & { [GLOBALS_KEY]?: IntegrationGlobals };
  return (g[GLOBALS_KEY] ??= {});
}

function portFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port <= 0 || port > 65535)
    throw new Error(`${name} must be a port, got "${raw}"`);
  return port;
}

/**
 * Runs once before the integration project: a real Kafka broker, empty on every run (unless KAFKA_BROKERS points
 * at one already), and a check that the Postgres server for throwaway databases answers. Workers inherit the env.
 *
 *   KAFKA_BROKERS               use this broker instead of starting one (KAFKA_USERNAME/KAFKA_PASSWORD: a
 *                               principal that may do everything the tests do, when it requires SASL)
 *   TEST_KAFKA_PORT             client port of the broker started here (default 19092; data .data/kafka-test-<port>)
 *   TEST_KAFKA_CONTROLLER_PORT  its controller port (default 19093)
 *   TEST_DATABASE_URL           the Postgres server (default postgres://postgres@127.0.0.1:5432/postgres)
 *
 * A second run while one is going (another terminal) takes the next slot: ports +10, its own data folder.
 */
export default async function globalSetup(): Promise<void> {
  await checkPostgres();
  if (!process.env['KAFKA_BROKERS']) {
    const started = Date.now();
    const kafka = await startTestBroker({
      port: portFromEnv('TEST_KAFKA_PORT', 19092),
      controllerPort: portFromEnv('TEST_KAFKA_CONTROLLER_PORT', 19093),
      // Both demo partnerships' source systems, plus another police force's, each a principal of its own.
      principals: [...DEMO_SOURCE_SYSTEMS.map((s) => s.principal), 'other-police-force'],
    });
    integrationGlobals().kafka = kafka;
    const { admin, services, others } = kafka.broker.principals;
    process.env['KAFKA_BROKERS'] = kafka.broker.brokers.join(',');
    // Test clients and services started on their own act as the admin; the whole platform (startDemoPlatform)
    // runs each service as its own principal; tests that act as another read PRINCIPALS_ENV.
    process.env['KAFKA_USERNAME'] = admin.username;
    process.env['KAFKA_PASSWORD'] = admin.password;
    process.env[PRINCIPALS_ENV] = JSON.stringify(
      Object.fromEntries(
        [admin, ...Object.values(services), ...Object.values(others)].map((auth) => [
          auth.username,
          auth.password,
        ]),
      ),
    );
    console.log(`\nkafka test broker at ${process.env['KAFKA_BROKERS']} (${Date.now() - started} ms)`);
  }
}

async function checkPostgres(): Promise<void> {
  const url = testDatabaseUrl();
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new Error(
      `Integration tests need PostgreSQL at ${redact(url)} (set TEST_DATABASE_URL to another server): ${reason}`,
      { cause: err },
    );
  } finally {
    await client.end().catch(() => undefined);
  }
  process.env['TEST_DATABASE_URL'] = url;
}

function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparseable TEST_DATABASE_URL)';
  }
}
