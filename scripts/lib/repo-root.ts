import { existsSync } from 'node:fs';
import path from 'node:path';

let cached: string | undefined;

/**
 * The repository root: the nearest folder above this file holding `scripts/kafka/kafka.sh`. Works from the sources
 * (`scripts/lib`, as ts-jest runs them) and from the build (`scripts/dist/lib`).
 */
export function repoRoot(): string {
  if (cached) return cached;
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'scripts', 'kafka', 'kafka.sh'))) return (cached = dir);
    if (path.dirname(dir) === dir) throw new Error(`cannot find the repository root above ${__dirname}`);
  }
}
