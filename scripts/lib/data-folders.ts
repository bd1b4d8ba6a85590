import { chmod, mkdir, stat } from 'node:fs/promises';
import path from 'node:path';

/**
 * Creates `dir` readable by this user only (0700), and any missing folder above it with the default mode. (A
 * recursive `mkdir` with a mode gives that mode to every folder it creates: the broker's folder made `.data` itself
 * private, and the embedded Postgres, which runs as the system user `postgres` when started by root, could then not
 * reach `.data/postgres`.)
 */
export async function privateDirectory(dir: string): Promise<void> {
  await mkdir(path.dirname(dir), { recursive: true });
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await chmod(dir, 0o700);
}

/**
 * Lets another system user (the embedded Postgres's `postgres`, when started by root) pass through the folders
 * between `root` (exclusive) and `dir` (exclusive): each that others cannot search is given search permission for
 * group and others (x, not r: nothing in it becomes listable or readable). Folders outside `root` are left alone.
 * Answers the folders it changed.
 */
export async function letOtherUsersReach(dir: string, root: string): Promise<string[]> {
  const changed: string[] = [];
  const top = path.resolve(root);
  for (let at = path.dirname(path.resolve(dir)); at.startsWith(top + path.sep); at = path.dirname(at)) {
    const { mode } = await stat(at);
    if ((mode & 0o011) === 0o011) continue;
    await chmod(at, (mode & 0o7777) | 0o011);
    changed.push(at);
  }
  return changed;
}
