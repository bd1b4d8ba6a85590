import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { testDatabaseUrl, withDatabase } from './postgres-url';

export interface TestDatabase {
  /** Connection string of the new, empty database. */
  readonly url: string;
  /** Its name (`mash_t_<random>`). */
  readonly name: string;
  /** Terminates every connection to it and drops it. Safe to call more than once. */
  drop(): Promise<void>;
}

async function withAdminClient<T>(use: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: testDatabaseUrl(), application_name: 'mash-test-support' });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

/** Creates a throwaway database on the TEST_DATABASE_URL server, so each test file migrates into an empty one. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `mash_t_${randomBytes(6).toString('hex')}`;
  await withAdminClient(async (client) => {
    // CREATE DATABASE copies template1 and fails while another session is using it (55006): try again briefly.
    for (let attempt = 1; ; attempt++) {
      try {
        await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
        return;
      } catch (err) {
        if ((err as { code?: string }).code !== '55006' || attempt >= 20) throw err;
        await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
      }
    }
  });
  let dropped: Promise<void> | undefined;
  return {
    url: withDatabase(testDatabaseUrl(), name),
    name,
    drop() {
      dropped ??= withAdminClient(async (client) => {
        // WITH (FORCE) (Postgres 13+) terminates the sessions still connected (pools a test forgot to close).
        await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)} WITH (FORCE)`);
      });
      return dropped;
    },
  };
}
