#!/usr/bin/env node
'use strict';
// The `mash-connect` command: runs the compiled CLI, which `npm run build` (or `npm start`, `npm test`) produces.
const { existsSync } = require('node:fs');
const path = require('node:path');

const main = path.join(__dirname, '..', 'dist', 'main.js');
if (!existsSync(main)) {
  process.stderr.write('mash-connect: not built yet; run `npm run build` in the repository first\n');
  process.exitCode = 1;
} else {
  require(main);
}
