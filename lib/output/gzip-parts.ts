/**
 * gzip in parts that compose, for a file written by several workers at once
 * (memory/decisions/0905-composable-parts.md). Each worker deflates its own bytes as raw deflate
 * blocks that end on a full flush (zlib's Z_FULL_FLUSH: the blocks so far, then an empty stored block
 * that leaves the stream on a byte boundary with no back-reference into earlier bytes); the worker
 * holding the file's last bytes ends on Z_FINISH instead (the final block). Concatenated in order,
 * the parts are therefore one valid deflate stream, and
 *
 *   gzipHeader() + part 1 + … + part n + gzipTrailer(combineParts(summaries))
 *
 * is one gzip member (RFC 1952) that any gunzip reads, without any worker reading another's bytes.
 * The trailer needs the CRC-32 of the whole input: each part reports the CRC-32 and length of its
 * own input, and crc32Combine joins them (zlib's crc32_combine), so nothing is read twice.
 *
 * An empty part that is not the last deflates to five bytes (an empty stored block) and composes like
 * any other; an empty last part is the two-byte empty final block.
 */
import { Transform, type TransformCallback } from 'node:stream';
import { constants, createDeflateRaw, type DeflateRaw, deflateRawSync, crc32 as zlibCrc32 } from 'node:zlib';
import { GZIP_LEVEL, ZLIB_CHUNK_SIZE } from './gzip.js';
import { FLUSH_POINT, type WriterChunk } from './record-transform.js';

export const GZIP_HEADER_BYTES = 10;
export const GZIP_TRAILER_BYTES = 8;

/** CRC-32 (the gzip/ZIP polynomial) of `data`, continuing from `initial` (zlib's crc32). */
export function crc32(data: Uint8Array | string, initial = 0): number {
  return zlibCrc32(data, initial) >>> 0;
}

/** What the trailer needs of some bytes: their CRC-32 and their length. */
export interface PartSummary {
  readonly crc32: number;
  /** Bytes of input (uncompressed); any safe integer, not only below 2^32. */
  readonly length: number;
}

export interface DeflatePartOptions {
  /** The part holding the file's last bytes: ends the deflate stream (Z_FINISH), not on a full flush. */
  readonly last: boolean;
  /** 1 (fastest) to 9 (smallest); default GZIP_LEVEL, as the one-pass gzip of gzip.ts. */
  readonly level?: number;
}

/**
 * Patients between two flush points inside a compressed job's chunk part: a full flush before the
 * record of every patient whose id is a multiple of this, so a deep results page inflates at most
 * this many records from the flush point before it instead of its chunk from the start. Each flush
 * costs about 0.3 % of the deflated size (the dictionary starts afresh); memory/decisions/0928.
 */
export const FLUSH_POINT_EVERY = 1000;

export interface DeflatedPart extends PartSummary {
  readonly deflated: Buffer;
}

function checkLevel(level: number): number {
  if (!Number.isInteger(level) || level < constants.Z_BEST_SPEED || level > constants.Z_BEST_COMPRESSION) {
    throw new RangeError(`gzip level must be an integer from 1 to 9; got ${level}`);
  }
  return level;
}

function finishFlush(options: DeflatePartOptions): number {
  return options.last ? constants.Z_FINISH : constants.Z_FULL_FLUSH;
}

/**
 * The gzip header that belongs before the first part: no name, no time (MTIME 0), XFL as zlib sets
 * it for the level, OS 255 "unknown"; the same ten bytes createGzipStream (gzip.ts) writes.
 */
export function gzipHeader(level: number = GZIP_LEVEL): Buffer {
  checkLevel(level);
  const extraFlags = level === constants.Z_BEST_COMPRESSION ? 2 : level === constants.Z_BEST_SPEED ? 4 : 0;
  return Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, extraFlags, 0xff]);
}

/** The gzip trailer after the last part: CRC-32 and ISIZE (length mod 2^32), little-endian. */
export function gzipTrailer(whole: PartSummary): Buffer {
  checkLength(whole.length);
  const trailer = Buffer.alloc(GZIP_TRAILER_BYTES);
  trailer.writeUInt32LE(whole.crc32 >>> 0, 0);
  trailer.writeUInt32LE(whole.length % 2 ** 32, 4);
  return trailer;
}

/** One part in memory: its deflated bytes and the summary of its input. */
export function deflatePart(data: Uint8Array, options: DeflatePartOptions): DeflatedPart {
  const level = checkLevel(options.level ?? GZIP_LEVEL);
  return {
    deflated: deflateRawSync(data, { level, finishFlush: finishFlush(options) }),
    crc32: crc32(data),
    length: data.length,
  };
}

/**
 * One part as a stream: bytes in, raw deflate out, ending on a full flush (or, for the last part,
 * on the final block). `summary` and `deflatedLength` are complete once the stream has ended.
 * Back-pressure passes through: while the reader is behind, zlib is paused, and writes wait for it.
 */
export class DeflatePartStream extends Transform {
  readonly #deflate: DeflateRaw;
  #crc32 = 0;
  #length = 0;
  #deflatedLength = 0;

  constructor(options: DeflatePartOptions) {
    super();
    const level = checkLevel(options.level ?? GZIP_LEVEL);
    this.#deflate = createDeflateRaw({
      level,
      finishFlush: finishFlush(options),
      chunkSize: ZLIB_CHUNK_SIZE,
    });
    this.#deflate.on('data', (chunk: Buffer) => {
      this.#deflatedLength += chunk.length;
      if (!this.push(chunk)) this.#deflate.pause();
    });
    this.#deflate.on('error', (error) => this.destroy(error));
  }

  /** CRC-32 and length of the bytes written so far. */
  get summary(): PartSummary {
    return { crc32: this.#crc32, length: this.#length };
  }

  /** Deflated bytes given out so far. */
  get deflatedLength(): number {
    return this.#deflatedLength;
  }

  /**
   * A chunk its writer marked FLUSH_POINT (WriterOptions.flushPointEvery) starts after a full flush,
   * unless it starts the part.
   */
  override _transform(chunk: WriterChunk, _encoding: BufferEncoding, callback: TransformCallback): void {
    if (chunk[FLUSH_POINT] !== undefined && this.#length > 0) {
      // zlib queues the flush after the bytes written before it.
      this.#deflate.flush(constants.Z_FULL_FLUSH, () => this.#write(chunk, callback));
      return;
    }
    this.#write(chunk, callback);
  }

  #write(chunk: Buffer, callback: TransformCallback): void {
    this.#crc32 = crc32(chunk, this.#crc32);
    this.#length += chunk.length;
    if (this.#deflate.write(chunk)) callback();
    else this.#deflate.once('drain', () => callback());
  }

  override _read(size: number): void {
    this.#deflate.resume();
    super._read(size);
  }

  override _flush(callback: TransformCallback): void {
    this.#deflate.once('end', () => callback());
    this.#deflate.end();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.#deflate.destroy();
    callback(error);
  }
}

function checkLength(length: number): void {
  if (!Number.isSafeInteger(length) || length < 0) {
    throw new RangeError(`a length must be a non-negative safe integer; got ${length}`);
  }
}

/** Applies the 32×32 GF(2) matrix `matrix` (one column per bit) to the vector `vector`. */
function gf2Times(matrix: Uint32Array, vector: number): number {
  let sum = 0;
  let v = vector >>> 0;
  for (let i = 0; v !== 0; i++, v >>>= 1) {
    if (v & 1) sum ^= matrix[i];
  }
  return sum >>> 0;
}

/** square = matrix × matrix. */
function gf2Square(square: Uint32Array, matrix: Uint32Array): void {
  for (let n = 0; n < 32; n++) square[n] = gf2Times(matrix, matrix[n]);
}

/** The reflected CRC-32 polynomial (x^32 + x^26 + … + 1). */
const CRC32_POLYNOMIAL = 0xedb88320;

/**
 * The CRC-32 of A followed by B, from crc32(A), crc32(B) and B's length alone (zlib's crc32_combine):
 * appending lengthB zero bytes to A is a linear map on its CRC register, applied here by squaring the
 * one-zero-bit operator into 1, 2, 4, … zero-byte operators and using those of lengthB's set bits;
 * B's own CRC is then added (xor). O(log lengthB) 32×32 products; lengthB may exceed 2^32.
 */
export function crc32Combine(crcA: number, crcB: number, lengthB: number): number {
  checkLength(lengthB);
  if (lengthB === 0) return crcA >>> 0;
  const even = new Uint32Array(32);
  const odd = new Uint32Array(32);
  // The operator for one zero bit: shift right, xor the polynomial when the bit shifted out is set.
  odd[0] = CRC32_POLYNOMIAL;
  for (let n = 1, row = 1; n < 32; n++, row <<= 1) odd[n] = row;
  gf2Square(even, odd); // two zero bits
  gf2Square(odd, even); // four zero bits
  let crc = crcA >>> 0;
  let remaining = lengthB;
  // Each pass squares the operator (one zero byte first, then 2, 4, …) and applies it for a set bit.
  for (;;) {
    gf2Square(even, odd);
    if (remaining % 2 === 1) crc = gf2Times(even, crc);
    remaining = Math.floor(remaining / 2);
    if (remaining === 0) break;
    gf2Square(odd, even);
    if (remaining % 2 === 1) crc = gf2Times(odd, crc);
    remaining = Math.floor(remaining / 2);
    if (remaining === 0) break;
  }
  return (crc ^ crcB) >>> 0;
}

/** The summary of the parts' inputs concatenated in order. */
export function combineParts(parts: readonly PartSummary[]): PartSummary {
  let whole: PartSummary = { crc32: 0, length: 0 };
  for (const part of parts) {
    checkLength(part.length);
    whole = { crc32: crc32Combine(whole.crc32, part.crc32, part.length), length: whole.length + part.length };
  }
  return whole;
}

/**
 * The whole gzip member in memory from parts deflated in order (the last with `last: true`): what a
 * finaliser assembles as an upload of header, parts and trailer.
 */
export function gzipFromParts(parts: readonly DeflatedPart[], level: number = GZIP_LEVEL): Buffer {
  return Buffer.concat([
    gzipHeader(level),
    ...parts.map((part) => part.deflated),
    gzipTrailer(combineParts(parts)),
  ]);
}
