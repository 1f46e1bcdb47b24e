/** Where a command writes, and the environment it reads: the process's, or a test's. */
export interface CliIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  env: Readonly<Record<string, string | undefined>>;
}

/** A subcommand: `src/cli/<name>.ts` exports `run`, which returns the exit code. */
export interface CommandModule {
  run(args: string[], io: CliIo): Promise<number>;
}

/** The real process's streams and environment. */
export function processIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, env: process.env };
}

/** A mistake in how a command was called: printed with a hint, exit code 2. */
export class UsageError extends Error {
  readonly code = 'USAGE';
  constructor(
    message: string,
    /** The command whose `--help` explains the right usage. */
    readonly command?: string,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Exit codes: 0 done, 1 the command ran and found problems, 2 the command could not run as asked. */
export const EXIT = { ok: 0, problems: 1, usage: 2 } as const;
