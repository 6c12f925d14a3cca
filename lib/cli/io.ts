/**
 * What the CLI talks to: two output streams, a working directory, and (for passwords) the environment
 * and standard input, so tests can run it in-process.
 */

export interface CliStream extends NodeJS.WritableStream {
  readonly isTTY?: boolean;
  readonly columns?: number;
}

/** Standard input; a terminal (isTTY and setRawMode) can be asked for a password without echo. */
export interface CliInput extends NodeJS.ReadableStream {
  readonly isTTY?: boolean;
  setRawMode?(mode: boolean): unknown;
}

export interface CliIo {
  readonly stdout: CliStream;
  readonly stderr: CliStream;
  /** Directory relative paths are resolved against. */
  readonly cwd: string;
  /** True when the CLI owns the process (installs a SIGINT handler during long runs). */
  readonly ownsProcess?: boolean;
  /** Environment variables (the encryption password); none when missing. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Standard input, for the password prompt; no prompt when missing or not a terminal. */
  readonly stdin?: CliInput;
}

export function defaultIo(): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    cwd: process.cwd(),
    ownsProcess: true,
    env: process.env,
    stdin: process.stdin,
  };
}

/** Bad input from the user: exit code 2, one line per problem on stderr, no stack trace. */
export class UsageError extends Error {
  readonly problems: readonly string[];

  constructor(problems: string | readonly string[]) {
    const list = typeof problems === 'string' ? [problems] : problems;
    super(list.join('; '));
    this.name = 'UsageError';
    this.problems = list;
  }
}

/** An operation failed for a reason outside the user's input (disk full, permissions): exit code 1. */
export class CliFailure extends Error {
  override name = 'CliFailure';
}

/** The user interrupted the command (Ctrl-C, also at a password prompt): exit code 130. */
export class CliInterrupted extends Error {
  override name = 'CliInterrupted';
  constructor(message = 'interrupted') {
    super(message);
  }
}

export const EXIT_OK = 0;
export const EXIT_INTERNAL = 1;
export const EXIT_USAGE = 2;
export const EXIT_INTERRUPTED = 130;

export function writeLines(stream: CliStream, lines: readonly string[]): void {
  if (lines.length > 0) stream.write(lines.join('\n') + '\n');
}
