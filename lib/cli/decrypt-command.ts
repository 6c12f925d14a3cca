/**
 * `decrypt --in FILE --out FILE [--password-env NAME]`: streams an encrypted output file (MMPG v2,
 * segmented AES-256-GCM, or v1, chosen by the version byte; lib/output/crypto-stream.ts) back to its
 * plaintext. The plaintext goes to `OUT.partial` and is renamed to OUT only when the whole input has
 * been verified (every v2 segment's tag and the last-segment flag at the end; v1's one tag at the
 * end); on any failure the partial file is deleted, so OUT exists only if it is complete and
 * authentic. Every decryption failure (wrong password, changed, truncated or extended file, not an
 * encrypted file) is one line on stderr and exit code 2.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { open, rename, rm, stat } from 'node:fs/promises';
import { dirname, relative, resolve } from 'node:path';
import { finished, pipeline } from 'node:stream/promises';
import { makeDirectory } from '../core/index.js';
import {
  createDecryptStream,
  DecryptionError,
  ENCRYPTION_MAGIC,
  ENCRYPTION_VERSION,
  EncryptedFileFormatError,
  minimumEncryptedBytes,
  READABLE_ENCRYPTION_VERSIONS,
  V1_HEADER_BYTES,
} from '../output/index.js';
import { parseCommandArgs, stringOption } from './args.js';
import { DECRYPT_HELP } from './help-text.js';
import {
  CliFailure,
  CliInterrupted,
  type CliIo,
  EXIT_OK,
  fileProblem,
  onStopSignal,
  STOP_SIGNALS,
  type StopSignal,
  UsageError,
} from './io.js';
import { obtainPassword, parsePasswordEnv } from './password.js';
import { formatBytes } from './text-table.js';

export const DECRYPT_OPTIONS = {
  in: { type: 'string' },
  out: { type: 'string' },
  'password-env': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** File mode of the decrypted file: readable by its owner only, like the secret it was. */
const PLAINTEXT_MODE = 0o600;

export async function decryptCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs('decrypt', args, DECRYPT_OPTIONS);
  if (values.help) {
    io.stdout.write(DECRYPT_HELP);
    return EXIT_OK;
  }
  const problems: string[] = [];
  const inArg = stringOption(values, 'in');
  const outArg = stringOption(values, 'out');
  if (inArg === undefined || inArg === '') problems.push('decrypt needs --in FILE (the encrypted file)');
  if (outArg === undefined || outArg === '') problems.push('decrypt needs --out FILE (the decrypted file)');
  let envName: string | undefined;
  try {
    envName = parsePasswordEnv(stringOption(values, 'password-env'));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    problems.push(...error.problems);
  }
  if (problems.length > 0) throw new UsageError(problems);
  const inPath = resolve(io.cwd, inArg!);
  const outPath = resolve(io.cwd, outArg!);
  if (inPath === outPath) throw new UsageError('decrypt: --in and --out must be different files');

  // Check the input before asking for a password: a missing or foreign file needs none.
  await checkInput(inPath, inArg!);
  // Else the rename at the very end would fail after the whole file was decrypted (a directory), or
  // replace a pipe or device (/dev/stdout) with a file, as root even in /dev.
  const existing = await stat(outPath).catch(() => undefined);
  if (existing?.isDirectory()) {
    throw new UsageError(`decrypt: --out "${outArg}" is a directory; give the name of the decrypted file`);
  }
  if (existing && !existing.isFile()) {
    throw new UsageError(
      `decrypt: --out "${outArg}" is not a regular file (a pipe or device); give a file name: the output is renamed into place once verified`,
    );
  }
  const password = await obtainPassword(io, { envName: envName!, confirm: false });

  const partial = `${outPath}.partial`;
  try {
    makeDirectory(dirname(outPath));
  } catch (error) {
    throw new UsageError(`decrypt: cannot create the directory of --out "${outArg}": ${fileProblem(error)}`);
  }
  const interrupt = new AbortController();
  let stoppedBy: StopSignal = 'SIGINT';
  const removeStopHandlers = onStopSignal(io, (signal) => {
    stoppedBy = signal;
    interrupt.abort(new CliInterrupted());
  });
  const source = createReadStream(inPath);
  const sink = createWriteStream(partial, { mode: PLAINTEXT_MODE });
  try {
    await pipeline(source, createDecryptStream(password), sink, { signal: interrupt.signal });
    await rename(partial, outPath);
  } catch (error) {
    if (!sink.closed) sink.destroy();
    await finished(sink).catch(() => undefined);
    await rm(partial, { force: true }).catch(() => undefined);
    if (interrupt.signal.aborted) {
      io.stderr.write(`\n${STOP_SIGNALS[stoppedBy].word}; partial file removed\n`);
      return STOP_SIGNALS[stoppedBy].exitCode;
    }
    throw describeFailure(error, inPath, inArg!, outArg!);
  } finally {
    removeStopHandlers();
  }
  io.stdout.write(
    `decrypted ${display(io.cwd, inPath)} → ${display(io.cwd, outPath)} (${formatBytes(sink.bytesWritten)})\n`,
  );
  return EXIT_OK;
}

/** Reads the first bytes of the input: it must exist, be a file, and start like an encrypted file. */
async function checkInput(path: string, label: string): Promise<void> {
  let head: Buffer;
  let size: number;
  const longestHeader = V1_HEADER_BYTES; // v1's header (33 bytes) is longer than v2's (32)
  try {
    // A pipe (/dev/stdin, <(...), a FIFO) can be read once, without seeking and without a size: the
    // decrypting stream checks its header instead.
    const kind = await stat(path);
    if (kind.isFIFO() || kind.isCharacterDevice() || kind.isSocket()) return;
    const handle = await open(path, 'r');
    try {
      size = (await handle.stat()).size;
      const { buffer, bytesRead } = await handle.read(Buffer.alloc(longestHeader), 0, longestHeader, 0);
      head = buffer.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  } catch (error) {
    throw new UsageError(`decrypt: cannot read --in "${label}": ${fileProblem(error)}`);
  }
  if (size === 0) throw new UsageError(`decrypt: "${label}" is empty, not an encrypted file`);
  const magic = head.subarray(0, ENCRYPTION_MAGIC.length);
  if (size < ENCRYPTION_MAGIC.length || !magic.equals(ENCRYPTION_MAGIC)) {
    throw new UsageError(
      `decrypt: "${label}" is not an encrypted file of this generator (it does not start with "MMPG")`,
    );
  }
  const version = head[ENCRYPTION_MAGIC.length];
  if (version !== undefined && !READABLE_ENCRYPTION_VERSIONS.includes(version)) {
    throw new UsageError(
      `decrypt: "${label}" has encrypted file version ${version}; this version reads ${READABLE_ENCRYPTION_VERSIONS.join(' and ')}`,
    );
  }
  const minimum = minimumEncryptedBytes(version ?? ENCRYPTION_VERSION);
  if (size < minimum) {
    throw new UsageError(`decrypt: "${label}" is truncated: an encrypted file has at least ${minimum} bytes`);
  }
}

function describeFailure(error: unknown, inPath: string, inLabel: string, outLabel: string): Error {
  if (error instanceof EncryptedFileFormatError) {
    return new UsageError(`decrypt: "${inLabel}": ${error.message}`);
  }
  if (error instanceof DecryptionError) return new UsageError('decrypt: wrong password or corrupted file');
  const path = (error as { path?: unknown }).path;
  if (typeof path === 'string') {
    return path === inPath
      ? new UsageError(`decrypt: cannot read --in "${inLabel}": ${fileProblem(error)}`)
      : new CliFailure(`decrypt: cannot write --out "${outLabel}": ${fileProblem(error)}`);
  }
  return error instanceof Error ? error : new Error(String(error));
}

function display(cwd: string, path: string): string {
  const rel = relative(cwd, path);
  return rel && !rel.startsWith('..') ? rel : path;
}
