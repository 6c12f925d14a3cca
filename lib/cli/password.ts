/**
 * The encryption password of `generate --encrypt` and `decrypt`: from the environment variable named
 * by --password-env (default ENCRYPTION_PASSWORD), else from a prompt without echo when standard
 * input is a terminal (asked twice when encrypting), never from the command line. It is never written
 * to any output or error message.
 */
import { StringDecoder } from 'node:string_decoder';
import { type CliInput, CliInterrupted, type CliIo, type CliStream, UsageError } from './io.js';

export const DEFAULT_PASSWORD_ENV = 'ENCRYPTION_PASSWORD';
/** The same minimum as the API's encryption_password. */
export const MIN_PASSWORD_LENGTH = 8;

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The --password-env value: the name of an environment variable (not the password itself). */
export function parsePasswordEnv(text: string | undefined): string {
  if (text === undefined) return DEFAULT_PASSWORD_ENV;
  // The value is not echoed: someone may have passed the password itself by mistake.
  if (!ENV_NAME.test(text)) {
    throw new UsageError(
      `--password-env: must be the NAME of an environment variable (letters, digits, _), e.g. ${DEFAULT_PASSWORD_ENV}; the password itself is never taken from the command line`,
    );
  }
  return text;
}

export interface PasswordRequest {
  /** Environment variable to read first. */
  readonly envName: string;
  /** Ask twice at the prompt (when choosing a password for encryption). */
  readonly confirm: boolean;
  /** Minimum length in characters (encryption); none when decrypting files made elsewhere. */
  readonly minLength?: number;
}

/** The password from the environment or a hidden prompt; a UsageError (exit 2) when neither gives one. */
export async function obtainPassword(io: CliIo, request: PasswordRequest): Promise<string> {
  const fromEnv = io.env?.[request.envName];
  let password: string;
  if (fromEnv !== undefined && fromEnv !== '') {
    password = fromEnv;
  } else if (isTerminal(io.stdin)) {
    const prompts = request.confirm ? ['Encryption password: ', 'Repeat the password: '] : ['Password: '];
    const entries = await readHiddenLines(io.stdin, promptStream(io), prompts);
    if (entries.some((e) => e === '')) throw new UsageError('encryption password: no password entered');
    if (entries.some((e) => e !== entries[0])) {
      throw new UsageError('encryption password: the two entries differ');
    }
    password = entries[0];
  } else {
    throw new UsageError(`encryption password: set ${request.envName} or run interactively`);
  }
  const min = request.minLength ?? 1;
  if ([...password].length < min) {
    throw new UsageError(`encryption password: must be at least ${min} characters`);
  }
  return password;
}

/**
 * Where the prompt goes: standard error, unless only standard output is on the terminal (`2>log`
 * typed at a terminal), where a prompt on standard error would land in the log, unseen.
 */
function promptStream(io: CliIo): CliStream {
  return !io.stderr.isTTY && io.stdout.isTTY ? io.stdout : io.stderr;
}

function isTerminal(stdin: CliInput | undefined): stdin is CliInput & { setRawMode(mode: boolean): unknown } {
  return stdin !== undefined && stdin.isTTY === true && typeof stdin.setRawMode === 'function';
}

/** Terminal escape sequences (arrow keys, function keys): ignored at the prompt. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: terminal escape sequences start with ESC
const ESCAPE_SEQUENCE = /\u001b(?:\[[0-9;?]*[ -/]*[@-~]|O.|.)?/gs;

/**
 * Reads one line per prompt from a terminal in raw mode, echoing nothing. Enter ends a line,
 * Backspace deletes a character, Ctrl-U clears the line, Ctrl-C interrupts (CliInterrupted), Ctrl-D
 * or the end of input ends the current line.
 */
export function readHiddenLines(
  stdin: CliInput & { setRawMode(mode: boolean): unknown },
  prompt: CliStream,
  prompts: readonly string[],
): Promise<string[]> {
  return new Promise<string[]>((resolve, reject) => {
    const lines: string[] = [];
    const decoder = new StringDecoder('utf8');
    let current: string[] = [];
    let afterCr = false;
    let settled = false;

    const finish = (error?: Error) => {
      if (settled) return;
      settled = true;
      stdin.removeListener('data', onData);
      stdin.removeListener('end', onEnd);
      stdin.removeListener('error', onError);
      stdin.setRawMode(false);
      stdin.pause();
      if (error) reject(error);
      else resolve(lines);
    };
    const endLine = () => {
      lines.push(current.join(''));
      current = [];
      prompt.write('\n');
      if (lines.length === prompts.length) finish();
      else prompt.write(prompts[lines.length]);
    };
    const onData = (chunk: Buffer | string) => {
      const text = (typeof chunk === 'string' ? chunk : decoder.write(chunk)).replace(ESCAPE_SEQUENCE, '');
      for (const ch of text) {
        if (settled) return;
        const wasCr = afterCr;
        afterCr = ch === '\r';
        if (ch === '\r' || (ch === '\n' && !wasCr)) endLine();
        else if (ch === '\n') continue;
        else if (ch === '\u0003') {
          prompt.write('\n');
          finish(new CliInterrupted());
        } else if (ch === '\u0004') endLine();
        else if (ch === '\u007f' || ch === '\b') current.pop();
        else if (ch === '\u0015') current = [];
        else if (ch >= ' ') current.push(ch);
      }
    };
    const onEnd = () => {
      if (current.length > 0) endLine();
      if (!settled) finish(new UsageError('encryption password: no password entered'));
    };
    const onError = (error: Error) => finish(error);

    stdin.setRawMode(true);
    stdin.on('data', onData);
    stdin.once('end', onEnd);
    stdin.once('error', onError);
    prompt.write(prompts[0]);
    stdin.resume();
  });
}
