import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { repoRoot } from '../../../scripts/lib/repo-root';

/** docker-compose.yml as written (merge keys applied, variables not yet substituted). */
export interface ComposeFile {
  readonly services: Record<string, ComposeService>;
}

export interface ComposeService {
  readonly image?: string;
  readonly command?: string | string[];
  readonly entrypoint?: string | string[];
  readonly volumes?: string[];
  readonly ports?: string[];
  readonly depends_on?: Record<string, { condition: string }>;
  readonly environment?: Record<string, string | number>;
  readonly healthcheck?: { test: string[] };
}

export const COMPOSE_FILE = path.join(repoRoot(), 'docker-compose.yml');

export function loadCompose(): ComposeFile {
  return parse(readFileSync(COMPOSE_FILE, 'utf8'), { merge: true }) as ComposeFile;
}

/** A `${VAR:?message}` the file requires but the environment lacks. */
export class MissingVariable extends Error {}

/** Substitutes `${VAR}`, `${VAR:-default}` and `${VAR:?message}` as Compose does (unset and empty alike). */
export function interpolate(value: string, env: Readonly<Record<string, string>>): string {
  return value.replace(
    /\$\{([A-Z0-9_]+)(?::([-?])([^}]*))?\}/g,
    (_, name: string, op?: string, arg?: string) => {
      const set = env[name];
      if (set) return set;
      if (op === '?') throw new MissingVariable(`${name}: ${arg}`);
      return op === '-' ? (arg ?? '') : '';
    },
  );
}

/** A service's environment with the variables substituted. */
export function serviceEnv(
  compose: ComposeFile,
  service: string,
  env: Readonly<Record<string, string>>,
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(compose.services[service]?.environment ?? {}).map(([k, v]) => [
      k,
      interpolate(String(v), env),
    ]),
  );
}

/** The names of every `${VAR:?…}` the file requires. */
export function requiredVariables(): string[] {
  const text = readFileSync(COMPOSE_FILE, 'utf8');
  return [...new Set([...text.matchAll(/\$\{([A-Z0-9_]+):\?/g)].map((m) => m[1]!))].sort();
}

/** What `node scripts/kafka/compose-env.js` prints, as the variables a .env file of it sets. */
export function generatedEnv(): Record<string, string> {
  const run = spawnSync(process.execPath, [path.join(repoRoot(), 'scripts', 'kafka', 'compose-env.js')], {
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`compose-env.js failed: ${run.stderr}`);
  return Object.fromEntries(
    run.stdout
      .split('\n')
      .filter((line) => /^[A-Z0-9_]+=/.test(line))
      .map((line) => {
        const at = line.indexOf('=');
        return [line.slice(0, at), line.slice(at + 1).replace(/^"(.*)"$/, '$1')];
      }),
  );
}

/** `docker compose` (v2) or `docker-compose` (v1), whichever this machine has; undefined for neither. */
export function composeCommand(): string[] | undefined {
  for (const command of [['docker', 'compose'], ['docker-compose']]) {
    const run = spawnSync(command[0]!, [...command.slice(1), 'version'], { encoding: 'utf8' });
    if (run.status === 0) return command;
  }
  return undefined;
}
