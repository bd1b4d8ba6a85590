import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { KafkaAuth, ServiceConfig } from '@mash/service-kit';
import type { PlatformService } from '@mash/kafka';
import { definedFamilies } from '@mash/connectors';
import type { SubgraphName } from '@mash/gateway';
import { schemaFiles } from './compose';
import { deployableSpecVariable, type DeployableMessage, type DeployableSpec } from './deployable';
import { provision, type PlatformOptions } from './platform';
import { nodeFlagsFor } from './node-flags';

export type DeployableKind = DeployableSpec['kind'];

/** The order the deployables start in (each may call the ones before it); they stop in reverse. */
export const DEPLOYABLE_KINDS: readonly DeployableKind[] = [
  'agencies',
  'contacts',
  'cases',
  'escalations',
  'connector',
  'gateway',
];

export interface PlatformProcessesOptions {
  /** Deployables started with `--cpu-prof` (their profiles written to `profileDir` when they stop). */
  readonly profile?: readonly DeployableKind[];
  readonly profileDir?: string;
  /**
   * Node or V8 flags every deployable starts with after its own (`nodeFlagsFor`), so a benchmark can try another
   * setting (V8 takes the last of a flag given twice).
   */
  readonly nodeFlags?: readonly string[];
  /** Each deployable's log level (`LOG_LEVEL` in its environment); `warn` unless the environment sets one. */
  readonly logLevel?: string;
  /** Where the deployables' stdout and stderr go: this process's (the default), or each chunk to a function. */
  readonly output?: (kind: DeployableKind, chunk: string) => void;
}

/** A deployable process that ended, whether asked to or not. */
export interface DeployableExit {
  readonly kind: DeployableKind;
  readonly pid: number | undefined;
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface PlatformProcesses {
  readonly gatewayUrl: string;
  readonly subgraphUrls: Readonly<Record<SubgraphName, string>>;
  /** Each deployable's current process id (for its CPU time); a restart gives it a new one. */
  readonly pids: Readonly<Partial<Record<DeployableKind, number>>>;
  /** Every deployable process that has ended so far, in order (a `stop` adds each one). */
  readonly exits: readonly DeployableExit[];
  /** Sends the deployable's process a signal (SIGKILL by default: no chance to finish anything) and waits for it to end. */
  kill(kind: DeployableKind, signal?: NodeJS.Signals): Promise<DeployableExit>;
  /** Starts the deployable again as it was first started: the same configuration, the same port, the same groups. */
  restart(kind: DeployableKind): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The platform as it is deployed: every deployable in a Node process of its own (`deployable.ts`, forked; the same
 * start functions as the deployables' `main.ts`), so the stages run on every core instead of sharing one event loop
 * and one of them can be killed alone. Topics and ACLs are provisioned first as `startPlatform` does; the
 * deployables start in the same order (agencies, contacts, cases, escalations, connector, gateway) and stop in
 * reverse. Run from the compiled scripts it forks `deployable.js`; run from source (under jest) it forks
 * `deployable.ts` through `register-ts.js`, so the processes run the same sources as the test.
 */
export async function startPlatformProcesses(
  platformOptions: Omit<PlatformOptions, 'clock' | 'ports'>,
  processes: PlatformProcessesOptions = {},
): Promise<PlatformProcesses> {
  const host = platformOptions.host ?? '127.0.0.1';
  const topicPrefix = platformOptions.topicPrefix ?? '';
  // As startPlatform: each service as its own principal, agencies (no principal of its own) as the one given.
  const kafkaAuthOf = (service?: PlatformService): KafkaAuth | undefined =>
    service && platformOptions.kafkaPrincipals
      ? platformOptions.kafkaPrincipals.services[service]
      : platformOptions.kafkaAuth;
  const config = (agenciesUrl: string, service?: PlatformService): ServiceConfig => ({
    host,
    port: 0,
    databaseUrl: platformOptions.databaseUrl,
    jwt: platformOptions.jwt,
    kafkaBrokers: platformOptions.kafkaBrokers,
    ...(kafkaAuthOf(service) && { kafkaAuth: kafkaAuthOf(service) }),
    topicPrefix,
    agenciesUrl,
    auditEnabled: platformOptions.auditEnabled ?? true,
  });
  const compiled = path.join(__dirname, 'deployable.js');
  const entry = existsSync(compiled)
    ? { file: compiled, execArgv: [] as string[] }
    : {
        file: path.join(__dirname, 'deployable.ts'),
        execArgv: ['--require', path.join(__dirname, 'register-ts.js')],
      };

  const specs = new Map<DeployableKind, DeployableSpec>();
  const children = new Map<DeployableKind, ChildProcess>();
  const pids: Partial<Record<DeployableKind, number>> = {};
  const exits: DeployableExit[] = [];
  const ended = new Map<ChildProcess, Promise<DeployableExit>>();

  const run = async (spec: DeployableSpec): Promise<string> => {
    const profiled = processes.profile?.includes(spec.kind) ?? false;
    const child = fork(entry.file, [], {
      env: {
        ...process.env,
        [deployableSpecVariable]: JSON.stringify(spec),
        LOG_LEVEL: processes.logLevel ?? process.env['LOG_LEVEL'] ?? 'warn',
      },
      execArgv: [
        ...entry.execArgv,
        ...nodeFlagsFor(spec.kind),
        ...(processes.nodeFlags ?? []),
        ...(profiled ? ['--cpu-prof', `--cpu-prof-dir=${processes.profileDir ?? '.data/profiles'}`] : []),
      ],
      stdio: processes.output ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const { output } = processes;
    if (output) {
      for (const stream of [child.stdout, child.stderr]) {
        stream?.setEncoding('utf8');
        stream?.on('data', (chunk: string) => output(spec.kind, chunk));
      }
    }
    specs.set(spec.kind, spec);
    children.set(spec.kind, child);
    if (child.pid !== undefined) pids[spec.kind] = child.pid;
    ended.set(
      child,
      new Promise<DeployableExit>((resolve) => {
        child.once('exit', (code, signal) => {
          const exit = { kind: spec.kind, pid: child.pid, code, signal };
          exits.push(exit);
          resolve(exit);
        });
      }),
    );
    return new Promise<string>((resolve, reject) => {
      child.once('exit', (code, signal) =>
        reject(new Error(`${spec.kind} exited (${code ?? signal}) while starting`)),
      );
      child.on('message', (m: DeployableMessage) => {
        if (m.type === 'started') resolve(m.url);
        else reject(new Error(`${spec.kind} failed to start: ${m.error}`));
      });
    });
  };
  const stop = async () => {
    for (const kind of [...DEPLOYABLE_KINDS].reverse()) {
      const child = children.get(kind);
      if (child) await stopChild(child, ended.get(child)!);
    }
    children.clear();
  };

  try {
    await provision(platformOptions, true);
    const agencies = await run({ kind: 'agencies', config: config(''), seedDemo: true });
    const contacts = await run({ kind: 'contacts', config: config(agencies, 'contacts'), seedDemo: true });
    const cases = await run({ kind: 'cases', config: config(agencies, 'cases'), seedDemo: true });
    const escalations = await run({
      kind: 'escalations',
      config: config(agencies, 'escalations'),
      seedDemo: true,
      contactsUrl: contacts,
      ...(platformOptions.schedulerIntervalMs !== undefined && {
        schedulerIntervalMs: platformOptions.schedulerIntervalMs,
      }),
    });
    const connector = await run({
      kind: 'connector',
      config: config(agencies, 'connectors'),
      families: [...(platformOptions.families ?? definedFamilies())],
    });
    const subgraphUrls: Record<SubgraphName, string> = { agencies, contacts, cases, escalations, connector };
    const gatewayAuth = kafkaAuthOf('gateway');
    const gatewayUrl = await run({
      kind: 'gateway',
      host,
      port: 0,
      supergraphPath: schemaFiles().supergraph,
      subgraphUrls,
      jwt: platformOptions.jwt,
      ...(platformOptions.gatewayLimits && { limits: platformOptions.gatewayLimits }),
      kafkaBrokers: platformOptions.kafkaBrokers,
      ...(gatewayAuth && { kafkaAuth: gatewayAuth }),
      topicPrefix,
    });
    const urls: Record<DeployableKind, string> = { ...subgraphUrls, gateway: gatewayUrl };
    // A restart listens where the first start did: the gateway and the other services keep their URLs.
    for (const kind of DEPLOYABLE_KINDS)
      specs.set(kind, onPort(specs.get(kind)!, Number(new URL(urls[kind]).port)));
    return {
      gatewayUrl,
      subgraphUrls,
      pids,
      exits,
      async kill(kind, signal = 'SIGKILL') {
        const child = children.get(kind);
        if (!child) throw new Error(`${kind} is not running`);
        const exit = ended.get(child)!;
        if (child.exitCode === null && child.signalCode === null) child.kill(signal);
        return exit;
      },
      async restart(kind) {
        const child = children.get(kind);
        if (child && child.exitCode === null && child.signalCode === null) {
          throw new Error(`${kind} is still running (pid ${child.pid})`);
        }
        const url = await run(specs.get(kind)!);
        if (url !== urls[kind]) throw new Error(`${kind} came back on ${url}, not ${urls[kind]}`);
      },
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** The same deployable listening on a given port. */
function onPort(spec: DeployableSpec, port: number): DeployableSpec {
  return spec.kind === 'gateway' ? { ...spec, port } : { ...spec, config: { ...spec.config, port } };
}

/** Asks a deployable to stop as SIGTERM would, and waits for it to exit (killing it after 20 s). */
async function stopChild(child: ChildProcess, ended: Promise<unknown>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  // A benchmark may have held the process (SIGSTOP): let it run again, or it cannot hear the stop.
  child.kill('SIGCONT');
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  if (child.connected) child.send('stop');
  else child.kill('SIGTERM');
  await ended;
  clearTimeout(timer);
}
