/**
 * Helpers of the chunked-output tests: an in-memory object map standing for the job's parts in the
 * store, chunk writers into it, pieces read back from it, and seeded random chunk splits.
 */
import { execFileSync } from 'node:child_process';
import type { EventPlan } from '../../../lib/generation/index.js';
import {
  type ChunkFilePartInfo,
  type ChunkPartSink,
  type ChunkPartsOptions,
  DEFLATE_PART_SUFFIX,
  type Piece,
  type StoredChunkFile,
  writeChunkParts,
} from '../../../lib/output/index.js';
import { readAll } from '../../support/zip.js';

/** Object key → bytes, as the store would hold the parts. */
export type ObjectMap = Map<string, Buffer>;

export function chunkKey(chunk: number, partName: string): string {
  return `parts/c${String(chunk).padStart(6, '0')}/${partName}`;
}

/** A sink that stores each part in `objects` under the chunk's key. */
export function mapSink(objects: ObjectMap, chunk: number): ChunkPartSink {
  return async (target, bytes) => {
    objects.set(chunkKey(chunk, target.partName), await readAll(bytes));
  };
}

/** Patient bounds [0, …, n] cut at `cuts` random places (repeats allowed: empty chunks), seeded. */
export function randomBounds(n: number, cuts: number, seed: number): number[] {
  let state = seed >>> 0 || 1;
  const next = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
  const inner = Array.from({ length: cuts }, () => Math.floor(next() * (n + 1))).sort((a, b) => a - b);
  return [0, ...inner, n];
}

export type ChunkOptions = Omit<ChunkPartsOptions, 'from' | 'to' | 'sink' | 'last'>;

/** Writes every chunk of `bounds` into `objects`; the part infos per chunk, in chunk order. */
export async function writeChunks(
  plan: EventPlan,
  bounds: readonly number[],
  options: ChunkOptions,
  objects: ObjectMap,
): Promise<ChunkFilePartInfo[][]> {
  const chunks: ChunkFilePartInfo[][] = [];
  for (let i = 0; i + 1 < bounds.length; i++) {
    const written = await writeChunkParts(plan, {
      ...options,
      from: bounds[i],
      to: bounds[i + 1],
      last: i === bounds.length - 2,
      sink: mapSink(objects, i),
    });
    chunks.push([...written.files]);
  }
  return chunks;
}

/** One file's shares of the chunks, with their keys in `objects`. */
export function storedChunks(chunks: readonly ChunkFilePartInfo[][], fileIndex: number): StoredChunkFile[] {
  return chunks.map((files, i) => {
    const file = files[fileIndex];
    return {
      key: chunkKey(i, file.file_name),
      ...(file.deflate ? { deflateKey: chunkKey(i, file.file_name + DEFLATE_PART_SUFFIX) } : {}),
      file,
    };
  });
}

/** The bytes of pieces, objects read from `objects`. */
export function assemble(pieces: readonly Piece[], objects: ObjectMap): Buffer {
  return Buffer.concat(
    pieces.map((piece) => {
      if (piece.kind === 'bytes') return piece.bytes;
      const bytes = objects.get(piece.key);
      if (!bytes) throw new Error(`no object ${piece.key}`);
      return bytes;
    }),
  );
}

/** The system's `gzip -t` on the bytes: throws unless it accepts them. */
export function gzipTest(bytes: Buffer): void {
  execFileSync('gzip', ['-t'], { input: bytes });
}

/** A range reader over the object map, [start, end) as ResultStore.readRange. */
export function mapRangeReader(objects: ObjectMap, reads?: Array<[string, number, number]>) {
  return async (key: string, start: number, end: number): Promise<Buffer> => {
    reads?.push([key, start, end]);
    const bytes = objects.get(key);
    if (!bytes) throw new Error(`no object ${key}`);
    if (start < 0 || end > bytes.length || start > end)
      throw new RangeError(`bad range ${start}-${end} of ${key}`);
    return bytes.subarray(start, end);
  };
}
