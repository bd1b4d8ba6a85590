import { randomBytes } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { createServer } from 'node:net';
import { Client } from 'pg';
import { signDevToken, type JwtConfig, type KafkaAuth } from '@mash/service-kit';
import { Demo } from '@mash/schema';
import { startKafkaBroker } from '../lib/kafka-broker';
import {
  startPlatform,
  type PlatformKafkaPrincipals,
  type PlatformOptions,
  type RunningPlatform,
} from '../lib/platform';
import { startEmbeddedPostgres } from '../lib/postgres';
import {
  startPlatformProcesses,
  type DeployableKind,
  type PlatformProcessesOptions,
} from '../lib/platform-processes';

/** The machine's own PostgreSQL, as the integration tests use it (trust auth). */
const LOCAL_POSTGRES = 'postgres://postgres@127.0.0.1:5432/postgres';

export interface Resource<T> {
  readonly value: T;
  readonly description: string;
  stop(): Promise<void>;
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${encodeURIComponent(database)}`;
  return u.toString();
}

async function reachable(url: string): Promise<boolean> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function withClient<T>(url: string, use: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url, application_name: 'mash-bench' });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * The database the subgraphs run on: DATABASE_URL as given; else a fresh throwaway database on the machine's
 * PostgreSQL at 127.0.0.1:5432 (dropped at the end); else an embedded PostgreSQL in `.data/postgres-bench`.
 */
export async function benchDatabase(): Promise<Resource<string>> {
  const given = process.env['DATABASE_URL'];
  if (given) return { value: given, description: 'DATABASE_URL', stop: async () => undefined };

  if (await reachable(LOCAL_POSTGRES)) {
    const name = `mash_bench_${randomBytes(5).toString('hex')}`;
    await withClient(LOCAL_POSTGRES, (c) => c.query(`CREATE DATABASE ${c.escapeIdentifier(name)}`));
    return {
      value: withDatabase(LOCAL_POSTGRES, name),
      description: `throwaway database ${name} on 127.0.0.1:5432`,
      stop: () =>
        withClient(LOCAL_POSTGRES, async (c) => {
          await c.query(`DROP DATABASE IF EXISTS ${c.escapeIdentifier(name)} WITH (FORCE)`);
        }),
    };
  }

  const port = await freePort();
  const pg = await startEmbeddedPostgres({
    dataDir: '.data/postgres-bench',
    port,
    database: `mash_bench_${randomBytes(5).toString('hex')}`,
  });
  return { value: pg.url, description: `embedded PostgreSQL on 127.0.0.1:${port}`, stop: pg.stop };
}

/** A broker's bootstrap addresses and the credentials its clients use (none for a broker without SASL). */
export interface BenchKafka {
  readonly brokers: string[];
  /** What the benchmark's own clients connect as: the admin of a broker started here. */
  readonly auth?: KafkaAuth;
  /** A broker started here: each platform service's principal, granted its ACLs when the platform starts. */
  readonly principals?: PlatformKafkaPrincipals;
  /** The broker's process when it was started here (for its CPU time). */
  readonly pid?: number;
}

/**
 * KAFKA_BROKERS as given (with KAFKA_USERNAME/KAFKA_PASSWORD when it requires SASL), else a fresh single-node
 * broker on free ports (its data folder removed at the end): the services as their own principals, the benchmark's
 * clients as its admin.
 */
export async function benchKafka(): Promise<Resource<BenchKafka>> {
  const given = process.env['KAFKA_BROKERS']?.split(',').filter(Boolean);
  if (given?.length) {
    const username = process.env['KAFKA_USERNAME'];
    const password = process.env['KAFKA_PASSWORD'];
    return {
      value: { brokers: given, ...(username && password && { auth: { username, password } }) },
      description: 'KAFKA_BROKERS',
      stop: async () => undefined,
    };
  }
  const port = await freePort();
  let controllerPort = await freePort();
  while (controllerPort === port) controllerPort = await freePort();
  const broker = await startKafkaBroker({
    port,
    controllerPort,
    dataDir: `.data/kafka-bench-${port}`,
    clean: true,
  });
  const pid = Number(await readFile(path.join(broker.dataDir, 'kafka.pid'), 'utf8').catch(() => ''));
  return {
    value: {
      brokers: broker.brokers,
      auth: broker.principals.admin,
      principals: { admin: broker.principals.admin, services: broker.principals.services },
      ...(Number.isInteger(pid) && pid > 0 && { pid }),
    },
    description: `Kafka broker on 127.0.0.1:${port} (SASL/SCRAM)`,
    stop: async () => {
      await broker.stop();
      await rm(broker.dataDir, { recursive: true, force: true });
    },
  };
}

/** A TCP port free on 127.0.0.1 right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** A fresh HS256 secret for one benchmark run (never the public demo secret). */
export function benchJwt(): JwtConfig {
  return {
    JWT_ALGORITHM: 'HS256',
    JWT_SECRET: `mash-graph-bench-secret-${randomBytes(16).toString('hex')}`,
    JWT_PUBLIC_KEY: undefined,
    JWT_ISSUER: 'mash-graph',
    JWT_AUDIENCE: 'mash-graph',
    SERVICE_TOKEN: undefined,
  };
}

/** The whole platform with the demo partnership on a benchmark's database and broker. */
export function startBenchPlatform(
  db: Resource<string>,
  kafka: Resource<BenchKafka>,
  options: Omit<
    PlatformOptions,
    'databaseUrl' | 'kafkaBrokers' | 'kafkaAuth' | 'kafkaPrincipals' | 'seedDemo'
  >,
): Promise<RunningPlatform> {
  return startPlatform({
    databaseUrl: db.value,
    kafkaBrokers: kafka.value.brokers,
    ...(kafka.value.auth && { kafkaAuth: kafka.value.auth }),
    ...(kafka.value.principals && { kafkaPrincipals: kafka.value.principals }),
    seedDemo: true,
    schedulerIntervalMs: 500,
    ...options,
  });
}

export type { DeployableKind };

/** What the benchmarks use of a platform, whether in one process or in one process per deployable. */
export type BenchPlatform = Pick<RunningPlatform, 'gatewayUrl' | 'subgraphUrls' | 'stop'> & {
  /** One process per deployable: each one's process id (for its CPU time). */
  readonly pids?: Readonly<Partial<Record<DeployableKind, number>>>;
};

/** The platform with the demo partnership on a benchmark's database and broker, one process per deployable. */
export function startBenchPlatformProcesses(
  db: Resource<string>,
  kafka: Resource<BenchKafka>,
  options: Omit<
    PlatformOptions,
    'databaseUrl' | 'kafkaBrokers' | 'kafkaAuth' | 'kafkaPrincipals' | 'seedDemo' | 'clock' | 'ports'
  >,
  processes: Pick<PlatformProcessesOptions, 'profile' | 'profileDir' | 'nodeFlags'> = {},
): Promise<BenchPlatform> {
  return startPlatformProcesses(
    {
      databaseUrl: db.value,
      kafkaBrokers: kafka.value.brokers,
      ...(kafka.value.auth && { kafkaAuth: kafka.value.auth }),
      ...(kafka.value.principals && { kafkaPrincipals: kafka.value.principals }),
      seedDemo: true,
      schedulerIntervalMs: 500,
      ...options,
    },
    processes,
  );
}

/** Something a benchmark started, stopped at the end in reverse order. */
export interface BenchStop {
  readonly what: string;
  stop(): Promise<void>;
}

/** The database and the broker a benchmark runs on, each pushed onto `stops` once started. */
export async function benchInfra(
  log: (line: string) => void,
  stops: BenchStop[],
): Promise<{ db: Resource<string>; kafka: Resource<BenchKafka> }> {
  const db = await benchDatabase();
  stops.push({ what: 'database', stop: db.stop });
  log(`database: ${db.description}`);
  if (!process.env['KAFKA_BROKERS']) log('starting a Kafka broker (first run fetches its jars with Maven)…');
  const kafka = await benchKafka();
  stops.push({ what: 'kafka', stop: kafka.stop });
  log(`kafka: ${kafka.description}`);
  return { db, kafka };
}

/** The demo partnership's MASH officer, who seeds and reads the board; within the services' 12-hour maximum lifetime. */
export function benchMashOfficerToken(jwt: JwtConfig): string {
  return signDevToken(
    jwt,
    {
      sub: Demo.contacts.mashOfficer,
      name: 'Bench MASH officer',
      roles: ['mash-officer'],
      partnership: Demo.partnershipId,
      agency: Demo.agencies.laChildren,
    },
    12 * 3600,
  );
}
