'use strict';
// The one build: remove compiled files whose source is gone, compile every package (tsc -b), then bundle the
// board page. `npm run build` and `npm start` both run it. Plain Node, no dependencies of its own.
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const steps = [
  [path.join(__dirname, 'clean-stale-dist.js')],
  [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-b'],
  [path.join(__dirname, 'build-board.js')],
];
for (const args of steps) {
  const result = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
