'use strict';
// Lets a Node process run the repository's TypeScript sources as the jest tests do: `node --require
// scripts/lib/register-ts.js file.ts`. Each .ts file is transpiled on its own when required (as ts-jest does with
// isolatedModules: decorators and their metadata included, no type check), and `@mash/...` resolves to the
// packages' sources through jest.config.js's own moduleNameMapper, not to their compiled dist. The platform's
// process launcher (scripts/lib/platform-processes.ts) forks its deployables with it when it is itself running
// from source, so a test forks the code it is testing rather than whatever was last built. What it transpiles is
// kept in .cache/register-ts (by the source's hash), so the next process, or the next run, only reads it.
const crypto = require('node:crypto');
const fs = require('node:fs');
const Module = require('node:module');
const path = require('node:path');
const ts = require('typescript');

const root = path.resolve(__dirname, '..', '..');
const jestConfig = require(path.join(root, 'jest.config.js'));
const mapper = Object.entries(jestConfig.projects[0].moduleNameMapper).map(([pattern, target]) => ({
  pattern: new RegExp(pattern),
  target: target.replace('<rootDir>', root),
}));

const compilerOptions = {
  module: ts.ModuleKind.CommonJS,
  target: ts.ScriptTarget.ES2022,
  esModuleInterop: true,
  experimentalDecorators: true,
  emitDecoratorMetadata: true,
  resolveJsonModule: true,
  inlineSourceMap: true,
};

const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  for (const { pattern, target } of mapper) {
    if (pattern.test(request)) return resolveFilename.call(this, request.replace(pattern, target), ...rest);
  }
  return resolveFilename.call(this, request, ...rest);
};

const cacheDir = path.join(root, '.cache', 'register-ts');
const salt = JSON.stringify([ts.version, compilerOptions]);

function transpiled(filename) {
  const source = fs.readFileSync(filename, 'utf8');
  const key = crypto.createHash('sha256').update(salt).update(filename).update(source).digest('hex');
  const cached = path.join(cacheDir, `${key}.js`);
  try {
    return fs.readFileSync(cached, 'utf8');
  } catch {
    const { outputText } = ts.transpileModule(source, { compilerOptions, fileName: filename });
    // Written whole and then renamed: a process reading it at the same time sees all of it or none.
    const partial = `${cached}.${process.pid}.tmp`;
    fs.mkdirSync(cacheDir, { recursive: true });
    fs.writeFileSync(partial, outputText);
    fs.renameSync(partial, cached);
    return outputText;
  }
}

require.extensions['.ts'] = (module, filename) => {
  module._compile(transpiled(filename), filename);
};
