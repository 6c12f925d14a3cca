/** Runs the CLI in-process with captured output. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import type { CliInput, CliIo, CliStream } from '../../../lib/cli/io.js';
import { main } from '../../../lib/cli/main.js';

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

class Capture extends Writable {
  text = '';
  isTTY = false;

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: () => void): void {
    this.text += chunk.toString('utf8');
    callback();
  }
}

export interface RunOptions {
  /** Environment variables the CLI sees (default: none, so no password comes from the environment). */
  readonly env?: Readonly<Record<string, string>>;
  /** Standard input (default: none, so there is no password prompt). */
  readonly stdin?: CliInput;
  /** Standard output is a terminal (default: not, as when it is piped or captured). */
  readonly stdoutIsTTY?: boolean;
}

export async function runCli(
  argv: readonly string[],
  cwd: string = process.cwd(),
  options: RunOptions = {},
): Promise<CliRun> {
  const stdout = new Capture();
  stdout.isTTY = options.stdoutIsTTY === true;
  const stderr = new Capture();
  const io: CliIo = {
    stdout: stdout as CliStream,
    stderr: stderr as CliStream,
    cwd,
    env: options.env ?? {},
    stdin: options.stdin,
  };
  const code = await main(argv, io);
  return { code, stdout: stdout.text, stderr: stderr.text };
}

export async function withTempDir<T>(f: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'milmed-cli-'));
  try {
    return await f(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** A terminal on stdin: what is written to it arrives as raw-mode keystrokes (Enter is "\r"). */
export class FakeTerminal extends PassThrough implements CliInput {
  readonly isTTY = true;
  /** Every setRawMode call, in order. */
  readonly rawModes: boolean[] = [];

  setRawMode(mode: boolean): this {
    this.rawModes.push(mode);
    return this;
  }
}
