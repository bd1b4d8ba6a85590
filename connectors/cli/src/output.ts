/** Exit codes for scripting: 0 ok, 1 the event is invalid or the operation failed, 2 the command line is wrong. */
export const ExitCode = { ok: 0, failed: 1, usage: 2 } as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** A wrong command line (unknown type, missing option): exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Where the CLI writes; the process's streams in production, buffers in tests. */
export interface Io {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

export const processIo: Io = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

/** What a command produced: its exit code, the JSON document for --json and the lines for people. */
export interface CommandResult {
  readonly exitCode: ExitCode;
  readonly json: unknown;
  readonly text: readonly string[];
}

export function emit(io: Io, result: CommandResult, asJson: boolean): ExitCode {
  if (asJson) io.out(`${JSON.stringify(result.json, null, 2)}\n`);
  else if (result.text.length > 0) io.out(`${result.text.join('\n')}\n`);
  return result.exitCode;
}
