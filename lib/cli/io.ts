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
  /** True when the CLI owns the process (handles SIGINT and SIGTERM during long runs). */
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

/**
 * Each command is its own bundle with its own copy of the classes below (scripts/build-cli.mjs), so
 * main's `instanceof` would not know a command's errors: it checks a brand from the global symbol
 * registry, which every copy shares, instead of the class.
 */
function hasBrand(value: unknown, brand: symbol): boolean {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[brand] === true;
}
const USAGE_ERROR = Symbol.for('milmed.cli.UsageError');
const CLI_FAILURE = Symbol.for('milmed.cli.CliFailure');
const CLI_INTERRUPTED = Symbol.for('milmed.cli.CliInterrupted');

/** Bad input from the user: exit code 2, one line per problem on stderr, no stack trace. */
export class UsageError extends Error {
  static override [Symbol.hasInstance](value: unknown): boolean {
    return hasBrand(value, USAGE_ERROR);
  }
  readonly [USAGE_ERROR] = true;
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
  static override [Symbol.hasInstance](value: unknown): boolean {
    return hasBrand(value, CLI_FAILURE);
  }
  readonly [CLI_FAILURE] = true;
  override name = 'CliFailure';
}

/** The user interrupted the command (Ctrl-C, also at a password prompt): exit code 130. */
export class CliInterrupted extends Error {
  static override [Symbol.hasInstance](value: unknown): boolean {
    return hasBrand(value, CLI_INTERRUPTED);
  }
  readonly [CLI_INTERRUPTED] = true;
  override name = 'CliInterrupted';
  constructor(message = 'interrupted') {
    super(message);
  }
}

export const EXIT_OK = 0;
export const EXIT_INTERNAL = 1;
export const EXIT_USAGE = 2;
export const EXIT_INTERRUPTED = 130;
/** 128 + SIGTERM's number, as a shell reports a process that SIGTERM stopped. */
export const EXIT_TERMINATED = 143;

/**
 * The signals that stop a long run, which then removes its partial files: Ctrl-C, and SIGTERM (kill,
 * timeout, a cancelled CI job), with the exit code and the word of its last line.
 */
export const STOP_SIGNALS = {
  SIGINT: { exitCode: EXIT_INTERRUPTED, word: 'interrupted' },
  SIGTERM: { exitCode: EXIT_TERMINATED, word: 'terminated' },
} as const;
export type StopSignal = keyof typeof STOP_SIGNALS;

/**
 * Calls `stop` on the first stop signal, when the CLI owns the process; returns the handlers'
 * removal. The handlers stay until then and take every later signal too: a second Ctrl-C while the
 * run removes its partial files (or Ctrl-C after a kill) would otherwise find no handler, or only
 * proper-lockfile's, and kill the process with the partial files left (fix 0164).
 */
export function onStopSignal(io: CliIo, stop: (signal: StopSignal) => void): () => void {
  if (!io.ownsProcess) return () => {};
  const names = Object.keys(STOP_SIGNALS) as StopSignal[];
  let stopping = false;
  const handlers = names.map(
    (name) =>
      [
        name,
        () => {
          if (stopping) return;
          stopping = true;
          stop(name);
        },
      ] as const,
  );
  for (const [name, handler] of handlers) process.on(name, handler);
  return () => {
    for (const [name, handler] of handlers) process.off(name, handler);
  };
}

export function writeLines(stream: CliStream, lines: readonly string[]): void {
  if (lines.length > 0) stream.write(lines.join('\n') + '\n');
}

/**
 * Why a file operation failed, in words (the error codes alone read as jargon); an unknown code gives
 * the system's own message.
 */
export function fileProblem(error: unknown): string {
  switch ((error as { code?: string }).code) {
    case 'ENOENT':
      return 'no such file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory';
    case 'EEXIST':
      return 'a file of that name exists';
    case 'ENOTDIR':
      return 'a part of its path is a file, not a directory';
    case 'EROFS':
      return 'read-only file system';
    case 'ENOSPC':
      return 'no space left on the device';
    default:
      return error instanceof Error ? error.message : String(error);
  }
}
