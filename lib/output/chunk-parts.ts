/**
 * One chunk of a fanned-out job (memory/decisions/0905-composable-parts.md, 0906): patients
 * [from, to) of every requested format written as parts in one writePatients pass, through the output
 * chain's machinery (ChainFailures, forwardTo). Per format:
 *
 * - compressed: the format's bytes → DeflatePartStream (raw deflate ending on a full flush; on
 *   Z_FINISH when the chunk holds the file's end; in JSON and NDJSON a full flush too before every
 *   FLUSH_POINT_EVERY-th patient, where a results page can start inflating) → the caller's sink.
 *   The parts of all chunks, in order, between gzipHeader() and gzipTrailer(combine of their
 *   inputs) are the file (lib/output/file-pieces.ts).
 * - uncompressed: the plain bytes → the sink, and a tee of the same bytes → DeflatePartStream → a
 *   second sink call (`<file>.deflate`): the data of the file's ZIP entry.
 *
 * Every part reports its BytesInfo (size, SHA-256, CRC-32 of the stored bytes) and a deflate part the
 * CRC-32 and length of its input. No encryption here: a job's files are sealed afterwards over their
 * assembled plaintext (lib/output/seal-parts.ts). Memory stays flat: back-pressure runs from the
 * sinks through the deflaters to the generator.
 */
import { createHash, type Hash } from 'node:crypto';
import { type Readable, Transform, type TransformCallback, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { EventPlan } from '../generation/index.js';
import { formatSpec, type OutputFormat } from './formats.js';
import { GZIP_CONTENT_TYPE, GZIP_LEVEL, gzipFileName } from './gzip.js';
import { crc32, DeflatePartStream, FLUSH_POINT_EVERY, type PartSummary } from './gzip-parts.js';
import {
  ChainFailures,
  type ChainFile,
  type ChainWriteOptions,
  forwardTo,
  type OutputChoice,
} from './output-chain.js';
import type { BytesInfo } from './pieces.js';
import { writePatients } from './write-patients.js';

/**
 * The formats whose compressed parts get flush points: those a results page reads records from (one
 * per line; lib/domain/job-service.ts). Elsewhere they would only cost bytes (+1.4 % for CSV).
 */
const FLUSH_POINT_FORMATS: ReadonlySet<OutputFormat> = new Set<OutputFormat>(['json', 'ndjson']);

/** Name suffix of an uncompressed file's deflate part (the data of its ZIP entry). */
export const DEFLATE_PART_SUFFIX = '.deflate';
/** Content type of a raw deflate part (not a file anyone downloads). */
export const DEFLATE_PART_CONTENT_TYPE = 'application/octet-stream';

/** A pass-through that counts, SHA-256-hashes and CRC-32s the bytes flowing through it. */
export class BytesInfoStream extends Transform {
  readonly #hash: Hash = createHash('sha256');
  #size = 0;
  #crc32 = 0;
  #info: BytesInfo | undefined;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.#hash.update(chunk);
    this.#crc32 = crc32(chunk, this.#crc32);
    this.#size += chunk.length;
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    this.#info = { size: this.#size, sha256: this.#hash.digest('hex'), crc32: this.#crc32 };
    callback();
  }

  /** Bytes that have passed so far (not `size`: an S3 upload reads a body's `size`, memory/fixes/0065). */
  get bytesPassed(): number {
    return this.#size;
  }

  /** Size, SHA-256 and CRC-32 of everything that passed; only once the stream has ended. */
  get info(): BytesInfo {
    if (!this.#info) throw new Error('the bytes info is only known once the stream has ended');
    return this.#info;
  }
}

/** What a chunk's sink is asked to store: one part of one file. */
export interface ChunkPartTarget extends ChainFile {
  /**
   * The part's name under the chunk's prefix: the file's name (`patients.json.gz`: its deflate part;
   * `patients.json`: its plain bytes) or, for an uncompressed file's ZIP entry data, the file's name
   * + `.deflate`.
   */
  readonly partName: string;
  /** `data`: the file's own part; `deflate`: an uncompressed file's ZIP entry data. */
  readonly role: 'data' | 'deflate';
}

/** Stores one part: consumes `bytes` to their end, resolves once stored; `signal` aborts on teardown. */
export type ChunkPartSink = (target: ChunkPartTarget, bytes: Readable, signal: AbortSignal) => Promise<void>;

/**
 * One file's share of a chunk; the same shape (and field names) as ChunkFilePart of
 * lib/domain/job-parts.ts, so a chunk's part list can hold it as it is.
 */
export interface ChunkFilePartInfo {
  readonly format: OutputFormat;
  /** The file as the job lists it, before encryption (patients.json.gz, patients.csv …). */
  readonly file_name: string;
  /** The part named `file_name`: raw deflate (compressed) or the plain bytes (uncompressed). */
  readonly part: BytesInfo;
  /** Compressed files: CRC-32 and length of the bytes `part` deflates. */
  readonly input?: PartSummary;
  /** Uncompressed files (unless `deflatePlain: false`): the part `file_name + '.deflate'`. */
  readonly deflate?: BytesInfo & { readonly input: PartSummary };
}

export interface ChunkPartsResult {
  readonly patients: number;
  /** In the order of the formats. */
  readonly files: readonly ChunkFilePartInfo[];
}

export interface ChunkPartsOptions extends OutputChoice, ChainWriteOptions {
  /** Patients [from, to) of the plan. */
  readonly from: number;
  readonly to: number;
  readonly sink: ChunkPartSink;
  /**
   * This is the job's last chunk: its deflate parts end the stream (Z_FINISH). Given by the caller
   * (chunk k-1 of k), not guessed from `to`: an empty chunk after the last patient would end it twice.
   */
  readonly last: boolean;
  /**
   * Uncompressed files: also write the deflate part for the ZIP (default true; an encrypted job's ZIP
   * stores the sealed file instead and needs none).
   */
  readonly deflatePlain?: boolean;
  /** Deflate level, 1-9 (default GZIP_LEVEL, as the one-pass gzip). */
  readonly level?: number;
  /** Aborting tears every part down; the promise then rejects with the signal's reason. */
  readonly signal?: AbortSignal;
}

/** One part being written: its head (what the writer feeds), its counted output, its deflater. */
interface OpenPart {
  readonly target: ChunkPartTarget;
  readonly head: Writable;
  readonly info: BytesInfoStream;
  readonly deflate?: DeflatePartStream;
}

/**
 * Writes patients [from, to) of every format as parts (see the file's comment) and resolves, once
 * every sink has stored its part, with each file's part infos. On any failure every part is torn
 * down and the promise rejects once every sink has settled (as the output chain does), with the
 * caller's abort reason, else the first real failure (a stage's as OutputStageError). Invalid
 * options throw before any sink is called.
 */
export async function writeChunkParts(
  plan: EventPlan,
  options: ChunkPartsOptions,
): Promise<ChunkPartsResult> {
  const { from, to } = options;
  if (
    !Number.isSafeInteger(from) ||
    !Number.isSafeInteger(to) ||
    from < 0 ||
    from > to ||
    to > plan.totalPatients
  ) {
    throw new RangeError(
      `a chunk is a patient range within [0, ${plan.totalPatients}]; got [${from}, ${to})`,
    );
  }
  const { last } = options;
  const level = options.level ?? GZIP_LEVEL;
  const compress = options.compress === true;
  const deflatePlain = !compress && options.deflatePlain !== false;

  const files = options.formats.map((format) => {
    const spec = formatSpec(format, options.formatOptions);
    const file: ChainFile = compress
      ? { format, fileName: gzipFileName(spec.fileName), contentType: GZIP_CONTENT_TYPE }
      : { format, fileName: spec.fileName, contentType: spec.contentType };
    const parts: OpenPart[] = [];
    const data: ChunkPartTarget = {
      ...file,
      ...(compress ? { contentType: DEFLATE_PART_CONTENT_TYPE } : {}),
      partName: file.fileName,
      role: 'data',
    };
    const deflateTarget: ChunkPartTarget = {
      ...file,
      contentType: DEFLATE_PART_CONTENT_TYPE,
      partName: file.fileName + DEFLATE_PART_SUFFIX,
      role: 'deflate',
    };
    if (compress) parts.push(openDeflatePart(data, last, level));
    else {
      const info = new BytesInfoStream();
      parts.push({ target: data, head: info, info });
      if (deflatePlain) parts.push(openDeflatePart(deflateTarget, last, level));
    }
    // A compressed file is read back from its flush points (lib/domain/results-seek.ts), a plain one
    // by its lines.
    const flushPointEvery = compress && FLUSH_POINT_FORMATS.has(format) ? FLUSH_POINT_EVERY : undefined;
    return { format, file, parts, flushPointEvery };
  });

  const all = files.flatMap((f) => f.parts);
  const failures = new ChainFailures(options.signal, () => all.flatMap((p) => [p.head, p.info]));
  const settled = Promise.all(
    all.map((part) =>
      Promise.all([
        part.deflate
          ? pipeline(part.deflate, part.info).catch((error: unknown) => failures.fail(error, part.target))
          : undefined,
        failures.store(options.sink, part.target, part.info),
      ]),
    ),
  );
  const failure = async (): Promise<unknown> => {
    await settled;
    failures.dispose();
    return failures.error();
  };

  let patients: number;
  try {
    const written = await writePatients(
      plan,
      files.map((f) => ({
        format: f.format,
        sink: forwardTo(...f.parts.map((p) => p.head)),
        formatOptions: options.formatOptions,
        flushPointEvery: f.flushPointEvery,
      })),
      {
        from,
        to,
        onRecord: options.onRecord,
        onProgress: options.onProgress,
        progressEvery: options.progressEvery,
        signal: failures.signal,
      },
    );
    patients = written.patients;
  } catch (error) {
    failures.fail(error);
    throw await failure();
  }
  if (!failures.failed) for (const part of all) part.head.end();
  await settled;
  if (failures.failed) throw await failure();
  failures.dispose();

  return {
    patients,
    files: files.map(({ format, file, parts }) => {
      const [data, deflate] = compress ? [undefined, parts[0]] : [parts[0], parts[1]];
      return compress
        ? { format, file_name: file.fileName, part: deflate!.info.info, input: deflate!.deflate!.summary }
        : {
            format,
            file_name: file.fileName,
            part: data!.info.info,
            ...(deflate ? { deflate: { ...deflate.info.info, input: deflate.deflate!.summary } } : {}),
          };
    }),
  };
}

function openDeflatePart(target: ChunkPartTarget, last: boolean, level: number): OpenPart {
  const deflate = new DeflatePartStream({ last, level });
  return { target, head: deflate, info: new BytesInfoStream(), deflate };
}
