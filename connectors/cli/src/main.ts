import { run } from './program';

run(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`mash-connect: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
