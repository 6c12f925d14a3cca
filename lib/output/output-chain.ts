/**
 * The one output chain of the CLI and the job runner (memory/decisions/0904-one-output-chain.md). Per
 * requested format: format writer → gzip (compress) → AES-256-GCM (password) → size and SHA-256 → a
 * sink the caller provides (a file for the CLI, a multipart upload for the runner). One writePatients
 * pass feeds every chain. `write(from, to)` writes any patient range and may be called again for the
 * next one (the runner's batches; writers know ranges, so parts concatenate to the whole document);
 * `end()` closes the files and gives their names, sizes and SHA-256.
 *
 * On any failure (a sink, a stage, the writer, the caller's signal) every chain is torn down, and the
 * promise rejects only once every sink has settled, so the caller can remove what was written.
 */
import { type Readable, type Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { EventPlan } from '../generation/index.js';
import { ENCRYPTED_CONTENT_TYPE } from './crypto-format.js';
import { createEncryptStream, encryptedFileName } from './crypto-stream.js';
import { formatSpec, type OutputFormat, type OutputFormatOptions } from './formats.js';
import { createGzipStream, GZIP_CONTENT_TYPE, gzipFileName } from './gzip.js';
import { DigestStream } from './manifest.js';
import { type WritePatientsOptions, writePatients } from './write-patients.js';

/** One file of a job's output as the caller stores it. */
export interface ChainFile {
  /** The output format ("json", …), or "zip" for the archive. */
  readonly format: string;
  /** e.g. patients.json.gz.enc: compressed first, then encrypted. */
  readonly fileName: string;
  readonly contentType: string;
}

export interface StoredFile extends ChainFile {
  /** Bytes as stored (after compression and encryption). */
  readonly size: number;
  /** Lower-case hex SHA-256 of the bytes as stored; absent when the chain was opened with `sha256: false`. */
  readonly sha256?: string;
}

/**
 * Stores one file: consumes `bytes` to their end and resolves once they are stored. `signal` aborts
 * when the chain is torn down.
 */
export type ChainSink = (file: ChainFile, bytes: Readable, signal: AbortSignal) => Promise<void>;

/** What was asked for: the same for the chain, its file names and the archive's manifest. */
export interface OutputChoice {
  readonly formats: readonly OutputFormat[];
  /** Options of the formats that have some (the FHIR bundle type); default the registered ones. */
  readonly formatOptions?: OutputFormatOptions;
  readonly compress?: boolean;
}

export interface OutputChainOptions extends OutputChoice {
  /** Encrypts every file (each with its own salt and nonce prefix); none when null or absent. */
  readonly password?: string | null;
  /** Hash every file (default true); false only counts bytes. */
  readonly sha256?: boolean;
  readonly sink: ChainSink;
  /** Aborting tears every chain down; the chain then rejects with the signal's reason. */
  readonly signal?: AbortSignal;
}

export type ChainWriteOptions = Pick<WritePatientsOptions, 'onRecord' | 'onProgress' | 'progressEvery'>;

/** A stage after the format writer (gzip, encryption) failed; the sink's own errors stay as they are. */
export class OutputStageError extends Error {
  constructor(
    readonly file: ChainFile,
    cause: unknown,
  ) {
    super(`writing ${file.fileName} failed`, { cause });
    this.name = 'OutputStageError';
  }
}

/** The format's file name and content type through the chosen stages, and those stages. */
function openStages(
  format: OutputFormat,
  options: OutputChainOptions,
): { file: ChainFile; stages: Transform[] } {
  const spec = formatSpec(format, options.formatOptions);
  let fileName = spec.fileName;
  let contentType = spec.contentType;
  const stages: Transform[] = [];
  if (options.compress) {
    stages.push(createGzipStream());
    fileName = gzipFileName(fileName);
    contentType = GZIP_CONTENT_TYPE;
  }
  if (typeof options.password === 'string') {
    stages.push(createEncryptStream(options.password));
    fileName = encryptedFileName(fileName);
    contentType = ENCRYPTED_CONTENT_TYPE;
  }
  return { file: { format, fileName, contentType }, stages };
}

/** Errors a torn-down stream reports after the failure that tore it down. */
function isTeardownNoise(error: unknown): boolean {
  const { code, name } = (error ?? {}) as { code?: unknown; name?: unknown };
  return code === 'ERR_STREAM_PREMATURE_CLOSE' || name === 'AbortError';
}

/**
 * The first failure of streams that fail together, and their teardown: at the first one `signal`
 * aborts and the streams are destroyed with it (their errors are seen through pipelines and sinks).
 * `error()`, once everything has settled, is the caller's abort reason, else the first failure that
 * is not teardown noise; a stage's error stands as the sink's when the sink failed with it (a file
 * that cannot be opened fails the stages before it).
 */
export class ChainFailures {
  private readonly stop = new AbortController();
  private readonly seen: Array<{ readonly error: unknown; readonly stage?: ChainFile }> = [];
  private readonly fromSinks = new Set<unknown>();
  private readonly onCallerAbort = () => this.fail(this.caller?.reason);

  constructor(
    private readonly caller: AbortSignal | undefined,
    streams: () => readonly (Readable | Writable)[],
  ) {
    const teardown = () => {
      for (const stream of streams()) {
        stream.on('error', () => undefined);
        stream.destroy(this.stop.signal.reason);
      }
    };
    this.stop.signal.addEventListener('abort', teardown, { once: true });
    if (caller?.aborted) this.fail(caller.reason);
    else caller?.addEventListener('abort', this.onCallerAbort, { once: true });
  }

  get signal(): AbortSignal {
    return this.stop.signal;
  }

  get failed(): boolean {
    return this.stop.signal.aborted;
  }

  fail(error: unknown, stage?: ChainFile): void {
    this.seen.push({ error, stage });
    if (!this.stop.signal.aborted) this.stop.abort(error);
  }

  /** Runs a sink (a synchronous throw counts as its failure); settles when it has. */
  store<F extends ChainFile>(
    sink: (file: F, bytes: Readable, signal: AbortSignal) => Promise<void>,
    file: F,
    bytes: Readable,
  ): Promise<void> {
    return (async () => sink(file, bytes, this.stop.signal))().catch((error: unknown) => {
      this.fromSinks.add(error);
      this.fail(error);
    });
  }

  error(): unknown {
    if (this.caller?.aborted) return this.caller.reason;
    const first = this.seen.find((f) => !isTeardownNoise(f.error)) ?? this.seen[0];
    if (first?.stage && !this.fromSinks.has(first.error))
      return new OutputStageError(first.stage, first.error);
    return first?.error;
  }

  dispose(): void {
    this.caller?.removeEventListener('abort', this.onCallerAbort);
  }
}

export class OutputChain {
  /** The files, in the order of the formats; known before anything is written. */
  readonly files: readonly ChainFile[];
  private readonly heads: readonly Writable[];
  private readonly digests: readonly DigestStream[];
  private readonly failures: ChainFailures;
  /** Every stage and sink has settled (never rejects). */
  private readonly settled: Promise<unknown>;
  private readonly hashed: boolean;
  private ended = false;

  /** Opens every chain and calls its sink; throws before any sink is called for an invalid option. */
  constructor(
    private readonly plan: EventPlan,
    private readonly options: OutputChainOptions,
  ) {
    const opened = options.formats.map((format) => openStages(format, options));
    this.hashed = options.sha256 !== false;
    this.files = opened.map((o) => o.file);
    this.digests = opened.map(() => new DigestStream({ sha256: this.hashed }));
    this.heads = opened.map((o, i) => o.stages[0] ?? this.digests[i]);
    // Teardown: destroying each head ends its stages' pipeline; the sinks see their signal abort.
    this.failures = new ChainFailures(options.signal, () => [...this.heads, ...this.digests]);
    this.settled = Promise.all(
      opened.map(({ file, stages }, i) =>
        Promise.all([
          stages.length > 0
            ? pipeline([...stages, this.digests[i]]).catch((error: unknown) =>
                this.failures.fail(error, file),
              )
            : undefined,
          this.failures.store(options.sink, file, this.digests[i]),
        ]),
      ),
    );
  }

  /**
   * Writes patients [from, to) to every file, which stay open for the next range. Rejects, after the
   * teardown has settled, with the chain's failure.
   */
  async write(from: number, to: number, options: ChainWriteOptions = {}): Promise<number> {
    await this.throwIfFailed();
    if (this.ended) throw new Error('the output chain has ended');
    const targets = this.heads.map((head, i) => ({
      format: this.options.formats[i],
      sink: forwardTo(head),
      formatOptions: this.options.formatOptions,
    }));
    try {
      const written = await writePatients(this.plan, targets, {
        from,
        to,
        onRecord: options.onRecord,
        onProgress: options.onProgress,
        progressEvery: options.progressEvery,
        signal: this.failures.signal,
      });
      return written.patients;
    } catch (error) {
      this.failures.fail(error);
      throw await this.failure();
    }
  }

  /**
   * Ends every file at once and resolves when every sink has stored its file, with the files' sizes and
   * SHA-256.
   */
  async end(): Promise<StoredFile[]> {
    if (!this.ended && !this.failures.failed) for (const head of this.heads) head.end();
    this.ended = true;
    await this.throwIfFailed();
    await this.settled;
    await this.throwIfFailed();
    this.failures.dispose();
    return this.files.map((file, i) => ({
      ...file,
      size: this.digests[i].bytesPassed,
      ...(this.hashed ? { sha256: this.digests[i].result(file.fileName).sha256 } : {}),
    }));
  }

  /** When the chain has failed: waits for its teardown, then rejects with the failure. */
  async throwIfFailed(): Promise<void> {
    if (this.failures.failed) throw await this.failure();
  }

  private async failure(): Promise<unknown> {
    await this.settled;
    this.failures.dispose();
    return this.failures.error();
  }
}

/** Opens the chain of every requested format (see OutputChain). */
export function openOutputChain(plan: EventPlan, options: OutputChainOptions): OutputChain {
  return new OutputChain(plan, options);
}

/** Opens the chain, writes patients [from, to) (default the whole plan) in one pass, and ends it. */
export async function runOutputChain(
  plan: EventPlan,
  options: OutputChainOptions & ChainWriteOptions & { readonly from?: number; readonly to?: number },
): Promise<StoredFile[]> {
  const chain = openOutputChain(plan, options);
  await chain.write(options.from ?? 0, options.to ?? plan.totalPatients, options);
  return chain.end();
}

/** A stream that reports the teardown of another, as a torn-down pipeline does. */
function prematureClose(): Error {
  return Object.assign(new Error('Premature close'), { code: 'ERR_STREAM_PREMATURE_CLOSE' });
}

/**
 * A writable that passes bytes on to every target (respecting each one's backpressure: a write waits
 * until every target that asked for it has drained) but does not end them, so one range's writer can
 * finish while the files stay open for the next range, or one writer feeds two files (the plain bytes
 * and their deflate part, lib/output/chunk-parts.ts). A destroyed target's own error is reported, so
 * the root cause survives.
 */
export function forwardTo(...targets: Writable[]): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, callback) {
      const broken = targets.find((target) => target.destroyed);
      if (broken) {
        callback(broken.errored ?? prematureClose());
        return;
      }
      const waiting = targets.filter((target) => !target.write(chunk));
      if (waiting.length === 0) {
        callback();
        return;
      }
      let left = waiting.length;
      const listeners = waiting.map((target) => {
        const onDrain = () => {
          left -= 1;
          if (left === 0) done();
        };
        const onClose = () => done(target.errored ?? prematureClose());
        target.once('drain', onDrain);
        target.once('close', onClose);
        return { target, onDrain, onClose };
      });
      let called = false;
      function done(error?: Error | null): void {
        if (called) return;
        called = true;
        for (const { target, onDrain, onClose } of listeners) {
          target.off('drain', onDrain);
          target.off('close', onClose);
        }
        callback(error);
      }
    },
    final(callback) {
      callback();
    },
  });
}
