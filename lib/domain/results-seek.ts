/**
 * Where a page of a job's results can start reading its patient file, so a deep page does not read
 * the file from its start (memory/fixes/0182-deep-results-pages-read-the-whole-file.md).
 *
 * A fanned-out job's file is its chunks' parts in chunk order (lib/output/file-pieces.ts), and its
 * sha256-of-parts checksum lists exactly those pieces' sizes: the plain parts, or the gzip header, the
 * chunks' raw deflate parts and the trailer. Chunk i holds patients [bounds[i], bounds[i + 1]) and
 * starts at a record's line; a compressed part starts a deflate stream of its own (each chunk deflates
 * its range afresh; the part before ends on a full flush), so raw inflate can start there. Anything
 * else (a file written before the fan-out, an empty chunk left out) reads from the start.
 */
import type { JobRecord, OutputFile } from './job.js';

export interface RecordSeek {
  /** Byte of the stored file to read from. */
  readonly from: number;
  /** Records to skip from there to reach the page's first. */
  readonly skip: number;
  /** The bytes from `from` are raw deflate (a compressed file's chunk part), not a gzip member. */
  readonly rawDeflate: boolean;
}

/** The chunk that holds patient `offset`, and where its part starts; undefined: read from the start. */
export function recordSeek(
  record: Pick<JobRecord, 'chunking' | 'config'>,
  file: Pick<OutputFile, 'checksum'>,
  offset: number,
): RecordSeek | undefined {
  const bounds = record.chunking?.bounds;
  const checksum = file.checksum;
  if (!bounds || bounds.length < 3 || checksum?.algorithm !== 'sha256-of-parts') return undefined;
  const chunks = bounds.length - 1;
  const compressed = record.config.use_compression;
  const sizes = checksum.part_sizes;
  // Plain: one piece per chunk. Compressed: the header, one per chunk, the trailer.
  if (sizes.length !== (compressed ? chunks + 2 : chunks)) return undefined;
  let chunk = 0;
  while (chunk + 1 < chunks && bounds[chunk + 1] <= offset) chunk++;
  if (chunk === 0) return undefined;
  const first = compressed ? 1 : 0;
  let from = compressed ? sizes[0] : 0;
  for (let i = 0; i < chunk; i++) from += sizes[first + i];
  return { from, skip: offset - bounds[chunk], rawDeflate: compressed };
}
