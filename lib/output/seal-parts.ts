/**
 * Encrypting a job file in parallel tasks (memory/decisions/0901-segmented-encryption-v2.md, 0906).
 * The file's plaintext (the assembled .gz or plain file, as pieces: lib/output/file-pieces.ts) of
 * length L is cut into n = max(1, ceil(L / S)) segments of S bytes (64 KiB); k seal tasks take
 * consecutive, balanced runs of whole segments (`sealTasks`). Task j reads only its plaintext range
 * (`readPieces` over the pieces, in bounded windows) and seals its segments with their global
 * indexes, the file's last segment flagged last (`sealRange`); task 0 starts with the 32-byte v2
 * header. The tasks' outputs in order are exactly the file createEncryptStream would write with the
 * same key material: header ‖ encryptChunk(key, 0, plaintext, true). An empty file is task 0's header
 * and one empty last segment (48 bytes); a task with no segments writes nothing.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { BytesInfoStream } from './chunk-parts.js';
import { TAG_BYTES } from './crypto-format.js';
import {
  HEADER_BYTES,
  MAX_SEGMENTS,
  SEGMENT_SIZE,
  type SegmentedFileKey,
  sealSegmentParts,
} from './crypto-segments.js';
import { type BytesInfo, objectPiece, type Piece } from './pieces.js';

/** One seal task's share of a file. */
export interface SealTask {
  /** j, from 0. */
  readonly index: number;
  /** Plaintext bytes [start, end) it seals; start is a multiple of the segment size. */
  readonly start: number;
  readonly end: number;
  /** Global index of its first segment (start / segment size). */
  readonly firstSegment: number;
  /** Segments it seals; 0 for a task with nothing of this file. */
  readonly segments: number;
  /** Segments of the whole file (the last one is flagged last). */
  readonly fileSegments: number;
  /** Bytes it writes: the header (task 0) + its plaintext + one tag per segment. */
  readonly sealedLength: number;
}

function checkLength(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${name} must be a non-negative safe integer; got ${value}`);
  }
}

/** Segments of a plaintext of `length` bytes: at least one (an empty file has one empty segment). */
export function segmentCount(length: number, segmentSize: number = SEGMENT_SIZE): number {
  checkLength('a plaintext length', length);
  const count = Math.max(1, Math.ceil(length / segmentSize));
  if (count > MAX_SEGMENTS) throw new RangeError(`a file holds at most ${MAX_SEGMENTS} segments`);
  return count;
}

/**
 * The k seal tasks of a plaintext of `length` bytes: task j takes segments [ceil(j·n/k),
 * ceil((j+1)·n/k)), so counts differ by at most one, task 0 always holds segment 0 (and the header),
 * and the tasks beyond n (k > n) are empty.
 */
export function sealTasks(length: number, taskCount: number, segmentSize: number = SEGMENT_SIZE): SealTask[] {
  if (!Number.isSafeInteger(taskCount) || taskCount < 1) {
    throw new RangeError(`there is at least one seal task; got ${taskCount}`);
  }
  const n = segmentCount(length, segmentSize);
  const boundary = (j: number) => Math.ceil((j * n) / taskCount);
  return Array.from({ length: taskCount }, (_, index) => {
    const first = boundary(index);
    const after = boundary(index + 1);
    const start = Math.min(length, first * segmentSize);
    const end = Math.min(length, after * segmentSize);
    const segments = after - first;
    return {
      index,
      start,
      end,
      firstSegment: first,
      segments,
      fileSegments: n,
      sealedLength: (first === 0 && segments > 0 ? HEADER_BYTES : 0) + (end - start) + segments * TAG_BYTES,
    };
  });
}

/** Enough seal tasks that none seals more than `bytesPerTask` of the longest file (at least one). */
export function sealTaskCount(lengths: readonly number[], bytesPerTask: number): number {
  if (!(bytesPerTask > 0)) throw new RangeError('bytesPerTask must be positive');
  const longest = Math.max(0, ...lengths);
  return Math.max(1, Math.ceil(longest / bytesPerTask));
}

/** Reads bytes [start, end) of a stored object (ResultStore.readRange). */
export type ObjectRangeReader = (
  key: string,
  start: number,
  end: number,
  signal?: AbortSignal,
) => Promise<Uint8Array>;

export interface ReadPiecesOptions {
  /** Largest single object read (default 8 MiB): what bounds the memory of a reader. */
  readonly windowBytes?: number;
  readonly signal?: AbortSignal;
}

export const READ_WINDOW_BYTES = 8 * 1024 * 1024;

/**
 * Bytes [start, end) of the file the pieces make, in order: bytes pieces from memory, object pieces
 * by ranged reads of at most `windowBytes`, the next read started while the current one is consumed
 * (at most two windows held).
 */
export async function* readPieces(
  pieces: readonly Piece[],
  start: number,
  end: number,
  readObjectRange: ObjectRangeReader,
  options: ReadPiecesOptions = {},
): AsyncGenerator<Buffer> {
  checkLength('start', start);
  checkLength('end', end);
  const total = pieces.reduce((sum, piece) => sum + piece.size, 0);
  if (start > end || end > total)
    throw new RangeError(`range [${start}, ${end}) is outside the file's ${total} bytes`);
  const window = options.windowBytes ?? READ_WINDOW_BYTES;
  if (!Number.isSafeInteger(window) || window < 1)
    throw new RangeError('windowBytes must be a positive integer');

  /** Each read of the range, in order, as a function that starts it. */
  function* reads(): Generator<() => Promise<Buffer>> {
    let offset = 0;
    for (const piece of pieces) {
      const from = Math.max(start, offset);
      const to = Math.min(end, offset + piece.size);
      if (from < to) {
        const local = from - offset;
        const localEnd = to - offset;
        if (piece.kind === 'bytes') {
          const bytes = piece.bytes.subarray(local, localEnd);
          yield async () => bytes;
        } else {
          for (let at = local; at < localEnd; at += window) {
            const a = at;
            const b = Math.min(localEnd, at + window);
            yield async () => {
              const bytes = Buffer.from(await readObjectRange(piece.key, a, b, options.signal));
              if (bytes.length !== b - a) {
                throw new RangeError(`reading ${piece.key} [${a}, ${b}) gave ${bytes.length} bytes`);
              }
              return bytes;
            };
          }
        }
      }
      offset += piece.size;
      if (offset >= end) break;
    }
  }

  const pending = reads();
  const startNext = (): Promise<Buffer> | undefined => {
    const next = pending.next();
    if (next.done) return undefined;
    const read = next.value();
    read.catch(() => undefined); // awaited below, or dropped when the reader stops early
    return read;
  };
  let current = startNext();
  while (current) {
    const following = startNext();
    yield await current;
    current = following;
  }
}

/** Yields the plaintext bytes [start, end) of the file being sealed. */
export type PlaintextReader = (start: number, end: number) => AsyncIterable<Uint8Array>;

export interface SealedRange {
  /** The task's sealed bytes; consume them to their end (an upload). */
  readonly bytes: Readable;
  /** Size, SHA-256 and CRC-32 of the sealed bytes; resolves once they have been consumed. */
  readonly info: Promise<BytesInfo>;
  /** Bytes `bytes` will give (the task's sealedLength). */
  readonly length: number;
}

async function* sealedSegments(
  fileKey: SegmentedFileKey,
  read: PlaintextReader,
  task: SealTask,
  plaintextLength: number,
): AsyncGenerator<Buffer> {
  const size = fileKey.segmentSize;
  if (
    task.fileSegments !== segmentCount(plaintextLength, size) ||
    task.start !== Math.min(plaintextLength, task.firstSegment * size) ||
    task.end !== Math.min(plaintextLength, (task.firstSegment + task.segments) * size)
  ) {
    throw new RangeError('the seal task does not belong to this plaintext length and segment size');
  }
  if (task.segments === 0) return;
  if (task.firstSegment === 0) yield fileKey.header;
  const lastIndex = task.fileSegments - 1;
  let index = task.firstSegment;
  const seal = function* (plaintext: Buffer): Generator<Buffer> {
    const [body, tag] = sealSegmentParts(fileKey, index, plaintext, index === lastIndex);
    index += 1;
    if (body.length > 0) yield body;
    yield tag;
  };
  if (task.end === task.start) {
    yield* seal(Buffer.alloc(0)); // the empty file's one segment
    return;
  }
  const segment = Buffer.allocUnsafe(size);
  let used = 0;
  let received = 0;
  for await (const chunk of read(task.start, task.end)) {
    const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length);
    received += bytes.length;
    if (received > task.end - task.start)
      throw new RangeError('the plaintext reader gave more bytes than asked');
    let at = 0;
    while (at < bytes.length) {
      if (used === 0 && bytes.length - at >= size) {
        // A whole segment in the chunk: seal it in place, no copy.
        yield* seal(bytes.subarray(at, at + size));
        at += size;
        continue;
      }
      const n = Math.min(size - used, bytes.length - at);
      bytes.copy(segment, used, at, at + n);
      used += n;
      at += n;
      if (used === size) {
        yield* seal(segment);
        used = 0;
      }
    }
  }
  if (received !== task.end - task.start) {
    throw new RangeError(`the plaintext reader gave ${received} of ${task.end - task.start} bytes`);
  }
  if (used > 0) yield* seal(segment.subarray(0, used));
  if (index !== task.firstSegment + task.segments) throw new Error('sealed segments do not match the task');
}

/**
 * Task `task`'s sealed bytes of a file of `plaintextLength` bytes, streamed: its plaintext range is
 * read with `read` (e.g. readPieces over the file's pieces) and sealed segment by segment (one
 * segment held), with back-pressure from whoever consumes `bytes`. The key material (header, key) is
 * the file's, the same for every task. Aborting `signal` destroys the stream.
 */
export function sealRange(
  fileKey: SegmentedFileKey,
  read: PlaintextReader,
  task: SealTask,
  plaintextLength: number,
  options: { readonly signal?: AbortSignal } = {},
): SealedRange {
  const counted = new BytesInfoStream();
  const done = pipeline(Readable.from(sealedSegments(fileKey, read, task, plaintextLength)), counted, {
    signal: options.signal,
  }).then(() => counted.info);
  done.catch(() => undefined); // the caller sees the failure through `bytes` or awaits `info`
  return { bytes: counted, info: done, length: task.sealedLength };
}

/**
 * Seal task `task` of a file given as pieces (its plaintext): sealRange reading the pieces' range
 * with `readObjectRange`.
 */
export function sealPieces(
  fileKey: SegmentedFileKey,
  pieces: readonly Piece[],
  task: SealTask,
  readObjectRange: ObjectRangeReader,
  options: ReadPiecesOptions = {},
): SealedRange {
  const length = pieces.reduce((sum, piece) => sum + piece.size, 0);
  return sealRange(
    fileKey,
    (start, end) => readPieces(pieces, start, end, readObjectRange, options),
    task,
    length,
    options,
  );
}

/** The encrypted file's pieces: the seal tasks' parts in task order (empty ones left out). */
export function sealedFilePieces(
  parts: readonly { readonly key: string; readonly part: BytesInfo }[],
): Piece[] {
  return parts.filter((p) => p.part.size > 0).map((p) => objectPiece(p.key, p.part));
}
