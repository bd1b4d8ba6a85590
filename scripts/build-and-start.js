'use strict';
// `npm start`: builds the code (scripts/build.js: tsc -b and the board page), then runs the start command (scripts/dist/start.js) and passes signals on.
//
// package.json runs this with `exec`, so npm's child is this node process itself rather than a shell. npm forwards
// SIGINT and SIGTERM to its child only; with `npm run build && node scripts/dist/start.js` the shell got them and
// the platform kept running, so a process manager that stops npm's pid left the broker, Postgres and every service
// behind. Now the signal reaches the code that stops everything, during the build as after it.
const { spawn } = require('node:child_process');
const { constants } = require('node:os');
const path = require('node:path');

const root = path.resolve(__dirname, '..');

process.stdout.write('Building…\n');
const build = spawn(process.execPath, [path.join(__dirname, 'build.js')], { cwd: root, stdio: 'inherit' });

let interrupted = false;
const stopBuild = (signal) => {
  interrupted = true;
  build.kill(signal);
};
process.on('SIGINT', stopBuild);
process.on('SIGTERM', stopBuild);

build.on('error', (err) => {
  process.stderr.write(`could not run the build: ${err.message}\n`);
  process.exit(1);
});
build.on('exit', (code) => {
  process.removeListener('SIGINT', stopBuild);
  process.removeListener('SIGTERM', stopBuild);
  if (interrupted) process.exit(130);
  if (code !== 0) process.exit(code ?? 1);
  start();
});

/**
 * Runs the start command in its own process group. A terminal's Ctrl-C goes to the whole foreground group: it would
 * reach the embedded Postgres directly and stop it while the services still use it. Signals reach the start command
 * through this process instead, which waits for it and exits with its code. Closing the terminal (SIGHUP) stops it
 * too.
 */
function start() {
  // Every deployable runs in this one process: it starts with the consuming deployables' Node flags (a young
  // generation sized for a stage's runs: scripts/lib/node-flags.ts).
  const { ONE_PROCESS_NODE_FLAGS } = require('./dist/lib/node-flags');
  const child = spawn(
    process.execPath,
    [...ONE_PROCESS_NODE_FLAGS, path.join(__dirname, 'dist', 'start.js')],
    {
      cwd: root,
      stdio: ['ignore', 'inherit', 'inherit'],
      detached: true,
    },
  );
  const forward = (signal) => child.kill(signal === 'SIGHUP' ? 'SIGTERM' : signal);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, forward);
  child.on('error', (err) => {
    process.stderr.write(`could not run the start command: ${err.message}\n`);
    process.exit(1);
  });
  child.on('exit', (exitCode, signal) =>
    process.exit(exitCode ?? (signal ? 128 + (constants.signals[signal] ?? 0) : 1)),
  );
}
