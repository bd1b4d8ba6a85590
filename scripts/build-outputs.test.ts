import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

// `npm test` type-checks with `tsc -b`, which also builds every package; `npm start` then runs the built code. A
// package whose entry point the build does not emit (a tsconfig that leaves its index out) passes every jest test,
// which run the TypeScript sources, and fails only at start. This catches that.
const root = path.resolve(__dirname, '..');
const workspaces = (
  JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { workspaces: string[] }
).workspaces;

describe('the build', () => {
  it.each(workspaces)('emits the entry point of %s', (workspace) => {
    const pkg = JSON.parse(readFileSync(path.join(root, workspace, 'package.json'), 'utf8')) as {
      main: string;
    };
    expect(existsSync(path.join(root, workspace, pkg.main))).toBe(true);
  });

  it('emits the start command', () => {
    expect(existsSync(path.join(root, 'scripts', 'dist', 'start.js'))).toBe(true);
  });
});
