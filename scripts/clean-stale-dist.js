'use strict';
// Runs before every build: removes compiled files whose TypeScript source no longer exists. `tsc -b` never deletes
// outputs, so after a file moves (say `entities.ts` → `entities/index.ts`) the old `dist/entities.js` would stay and
// shadow the new folder for `require('./entities')`. Plain Node, no dependencies of its own.
const { existsSync, readFileSync, readdirSync, rmSync, statSync } = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const projects = [...pkg.workspaces, 'scripts', 'test'];
const OUTPUT = /(\.d\.ts\.map|\.d\.ts|\.js\.map|\.js)$/;

let removed = 0;
for (const project of projects) {
  const dir = path.join(root, project);
  const tsconfigPath = path.join(dir, 'tsconfig.json');
  if (!existsSync(tsconfigPath)) continue;
  const options = JSON.parse(readFileSync(tsconfigPath, 'utf8')).compilerOptions ?? {};
  if (!options.outDir || !options.rootDir) continue;
  const outDir = path.resolve(dir, options.outDir);
  const rootDir = path.resolve(dir, options.rootDir);
  if (!existsSync(outDir)) continue;
  const walk = (folder) => {
    for (const name of readdirSync(folder)) {
      const full = path.join(folder, name);
      if (statSync(full).isDirectory()) {
        walk(full);
        continue;
      }
      if (!OUTPUT.test(name)) continue;
      const stem = path.relative(outDir, full).replace(OUTPUT, '');
      const source = path.join(rootDir, stem);
      if (!existsSync(`${source}.ts`) && !existsSync(`${source}.js`)) {
        rmSync(full);
        removed++;
      }
    }
  };
  walk(outDir);
}
if (removed > 0) process.stdout.write(`removed ${removed} compiled files whose source is gone\n`);
