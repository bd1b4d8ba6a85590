'use strict';
// Builds the MASH board page (gateway/board/src, Preact) into gateway/board/dist with esbuild: one script, one
// stylesheet, one page, all served by the gateway itself (nothing is fetched from the internet at run time).
const { copyFileSync, mkdirSync } = require('node:fs');
const path = require('node:path');
const esbuild = require('esbuild');

const board = path.resolve(__dirname, '..', 'gateway', 'board');
const out = path.join(board, 'dist');
mkdirSync(out, { recursive: true });
esbuild
  .build({
    entryPoints: [path.join(board, 'src', 'main.tsx')],
    bundle: true,
    minify: true,
    format: 'iife',
    target: ['chrome110', 'firefox110', 'safari16'],
    jsx: 'automatic',
    jsxImportSource: 'preact',
    outfile: path.join(out, 'board.js'),
    logLevel: 'warning',
  })
  .then(() => {
    copyFileSync(path.join(board, 'src', 'index.html'), path.join(out, 'index.html'));
    copyFileSync(path.join(board, 'src', 'board.css'), path.join(out, 'board.css'));
  })
  .catch(() => process.exit(1));
