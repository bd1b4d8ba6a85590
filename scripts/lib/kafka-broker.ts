import { spawn } from 'node:child_process';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '@mash/service-kit';
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
}

export interface KafkaBroker {
  /** `host:port` bootstrap addresses for kafkajs. */
  readonly brokers: string[];
  /** The broker's data folder (absolute); its logs are under `logs/`. */
  readonly dataDir: string;
  /** Controlled shutdown (SIGTERM, SIGKILL after a timeout). Safe to call more than once. */
  stop(): Promise<void>;
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
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    KAFKA_PORT: String(options.port),
    KAFKA_CONTROLLER_PORT: String(options.controllerPort),
    KAFKA_DATA_DIR: dataDir,
  };
  const log = options.logger?.child({ component: 'kafka-broker', port: options.port });
  if (options.clean) {
    await runKafkaScript('stop', env, log);
    await rm(dataDir, { recursive: true, force: true });
  }
  await runKafkaScript('start', env, log);
  let stopping: Promise<void> | undefined;
  return {
    brokers: [`127.0.0.1:${options.port}`],
    dataDir,
    stop() {
      stopping ??= runKafkaScript('stop', env, log);
      return stopping;
    },
  };
}

/** Runs `kafka.sh <command>`; rejects with the script's output when it fails. */
function runKafkaScript(
  command: 'start' | 'stop',
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
