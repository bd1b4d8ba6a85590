#!/usr/bin/env node
'use strict';
// The `mash-connect` command: runs the compiled CLI (built by `npm run build`).
require('../dist/main.js');
