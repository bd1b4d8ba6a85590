'use strict';
// Runs before `npm start` and `npm test`: installs dependencies when node_modules is missing or older than the
// lockfile, so that the README's two commands work on a fresh clone. Plain Node, no dependencies of its own.
const { existsSync, statSync } = require('node:fs');
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const installed = path.join(root, 'node_modules', '.package-lock.json');
const lock = path.join(root, 'package-lock.json');

const stale =
  !existsSync(installed) || (existsSync(lock) && statSync(lock).mtimeMs > statSync(installed).mtimeMs + 2000);
if (stale) {
  process.stdout.write('Installing dependencies (npm install)…\n');
  const result = spawnSync('npm', ['install', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
  process.exit(result.status ?? 1);
}
