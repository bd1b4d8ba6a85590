import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ADMIN_PRINCIPAL, PLATFORM_PRINCIPALS, PLATFORM_SERVICES, type PlatformService } from '@mash/kafka';
import type { KafkaAuth, Logger } from '@mash/service-kit';
import { privateDirectory } from './data-folders';
import { repoRoot } from './repo-root';

export interface KafkaBrokerOptions {
  /** Client (PLAINTEXT) port on 127.0.0.1. */
  readonly port: number;
  /** KRaft controller port on 127.0.0.1. */
  readonly controllerPort: number;
  /** Config, data, logs and pid file; relative paths are resolved against the repository root. */
  readonly dataDir: string;
  /** Stops a broker left running in `dataDir` and deletes the folder first, so the broker starts empty. */
  readonly clean?: boolean;
  /** Receives the script's progress lines (info) and failure output (error). */
  readonly logger?: Logger;
  /**
   * Principals besides `admin` (the super user) and the platform services' (`PLATFORM_PRINCIPALS`, always made),
   * e.g. one per agency source system. Their SCRAM credentials are generated and added when the storage is
   * formatted; they may do nothing until granted ACLs.
   */
  readonly principals?: readonly string[];
  /** SASL_SSL with a self-signed certificate instead of SASL_PLAINTEXT. */
  readonly tls?: boolean;
}

/** The broker's principals and their credentials (kept, 0600, in `<dataDir>/credentials.json`). */
export interface KafkaPrincipals {
  /** Super user: creates topics and grants ACLs. */
  readonly admin: KafkaAuth;
  /** Each platform service's own principal: it may do what `platformGrants` allows, once granted. */
  readonly services: Readonly<Record<PlatformService, KafkaAuth>>;
  /** Every other principal (agency source systems), by name. */
  readonly others: Readonly<Record<string, KafkaAuth>>;
}

export interface KafkaBroker {
  /** `host:port` bootstrap addresses for kafkajs. */
  readonly brokers: string[];
  /** The broker's data folder (absolute); its logs are under `logs/`. */
  readonly dataDir: string;
  readonly principals: KafkaPrincipals;
  /** Controlled shutdown (SIGTERM, SIGKILL after a timeout). Safe to call more than once. */
  stop(): Promise<void>;
  /** SIGKILL at once, no controlled shutdown (crash tests); the data stays, so starting again keeps it. */
  kill(): Promise<void>;
}

/** `scripts/kafka/kafka.sh`, the one implementation of the development broker. */
export function kafkaScriptPath(): string {
  return path.join(repoRoot(), 'scripts', 'kafka', 'kafka.sh');
}

/**
 * Starts a real single-node Kafka broker (KRaft) with `scripts/kafka/kafka.sh start` and resolves once it answers
 * protocol requests. When a broker is already running in `dataDir` (and `clean` is not set) it is reused.
 */
export async function startKafkaBroker(options: KafkaBrokerOptions): Promise<KafkaBroker> {
  const dataDir = path.resolve(repoRoot(), options.dataDir);
  const base: NodeJS.ProcessEnv = {
    ...process.env,
    KAFKA_PORT: String(options.port),
    KAFKA_CONTROLLER_PORT: String(options.controllerPort),
    KAFKA_DATA_DIR: dataDir,
  };
  const log = options.logger?.child({ component: 'kafka-broker', port: options.port });
  if (options.clean) {
    await runKafkaScript('stop', base, log);
    await rm(dataDir, { recursive: true, force: true });
  }
  const platform = new Set(Object.values(PLATFORM_PRINCIPALS));
  const passwords = await credentials(dataDir, [ADMIN_PRINCIPAL, ...platform, ...(options.principals ?? [])]);
  const env: NodeJS.ProcessEnv = {
    ...base,
    KAFKA_ADMIN_PASSWORD: passwords[ADMIN_PRINCIPAL],
    KAFKA_SCRAM_USERS: Object.entries(passwords)
      .filter(([name]) => name !== ADMIN_PRINCIPAL)
      .map(([name, password]) => `${name}=${password}`)
      .join(' '),
    KAFKA_TLS: options.tls ? 'true' : 'false',
  };
  await runKafkaScript('start', env, log);
  const tlsCa = options.tls ? await readFile(path.join(dataDir, 'tls', 'ca.pem'), 'utf8') : undefined;
  const auth = (username: string): KafkaAuth => ({
    username,
    password: passwords[username]!,
    ...(tlsCa !== undefined && { tlsCa }),
  });
  const others = Object.fromEntries(
    Object.keys(passwords)
      .filter((name) => name !== ADMIN_PRINCIPAL && !platform.has(name))
      .map((name) => [name, auth(name)]),
  );
  const services = Object.fromEntries(
    PLATFORM_SERVICES.map((service) => [service, auth(PLATFORM_PRINCIPALS[service])]),
  ) as Record<PlatformService, KafkaAuth>;
  let stopping: Promise<void> | undefined;
  return {
    brokers: [`127.0.0.1:${options.port}`],
    dataDir,
    principals: { admin: auth(ADMIN_PRINCIPAL), services, others },
    stop() {
      stopping ??= runKafkaScript('stop', env, log);
      return stopping;
    },
    kill() {
      return runKafkaScript('kill', env, log);
    },
  };
}

/**
 * A password for each principal: those kept in `<dataDir>/credentials.json` from an earlier start (so a broker
 * formatted with them keeps accepting them), new random ones for the rest.
 */
async function credentials(dataDir: string, names: readonly string[]): Promise<Record<string, string>> {
  const file = path.join(dataDir, 'credentials.json');
  let kept: Record<string, string> = {};
  try {
    kept = JSON.parse(await readFile(file, 'utf8')) as Record<string, string>;
  } catch {
    // first start in this folder
  }
  const passwords = Object.fromEntries(
    [...new Set(names)].map((n) => [n, kept[n] ?? randomBytes(18).toString('base64url')]),
  );
  await privateDirectory(dataDir);
  await writeFile(file, `${JSON.stringify(passwords, null, 2)}\n`, { mode: 0o600 });
  // What kafka.sh reads when run on its own against this folder (npm run kafka status/stop/start).
  await writeFile(path.join(dataDir, 'admin.password'), passwords['admin']!, { mode: 0o600 });
  return passwords;
}

/** Runs `kafka.sh <command>`; rejects with the script's output when it fails. */
function runKafkaScript(
  command: 'start' | 'stop' | 'kill',
  env: NodeJS.ProcessEnv,
  log: Logger | undefined,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [kafkaScriptPath(), command], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const output: string[] = [];
    const collect = (stream: NodeJS.ReadableStream) => {
      let partial = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => {
        const lines = (partial + chunk).split('\n');
        partial = lines.pop() ?? '';
        for (const line of lines) {
          output.push(line);
          if (line.startsWith('[kafka] ')) log?.info(line.slice('[kafka] '.length));
        }
      });
      stream.on('end', () => {
        if (partial) output.push(partial);
      });
    };
    collect(child.stdout);
    collect(child.stderr);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code === 0) return resolve();
      const detail = output.slice(-60).join('\n');
      log?.error({ code, signal, output: detail }, `kafka.sh ${command} failed`);
      reject(new Error(`kafka.sh ${command} failed (exit ${code ?? signal}):\n${detail}`));
    });
  });
}
